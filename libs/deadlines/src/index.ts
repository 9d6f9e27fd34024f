// @recert/deadlines: the one deadline scheduler — a row in PostgreSQL (the truth), a BullMQ job (the trigger).
export * from './lib/deadline';
export * from './lib/deadline-scheduler';
export * from './lib/deadline-runner';
export * from './lib/deadline-metrics';
export * from './lib/deadlines-tables.migration';
export * from './lib/deadlines.module';
export * from './lib/deadlines-retention';
export * from './lib/deadlines-retention-index.migration';

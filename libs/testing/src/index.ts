export * from './lib/test-database';
export * from './lib/test-kafka';
export * from './lib/wait-for';
export * from './lib/note-taken.event';

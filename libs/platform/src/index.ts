export * from './lib/config/recert-config';
export * from './lib/clock/clock.provider';
export * from './lib/database/database.options';
export * from './lib/database/schema-migrator';
export * from './lib/health/health.controller';
export * from './lib/logging/pino.options';
export * from './lib/platform.module';
export * from './lib/policy/policy.provider';

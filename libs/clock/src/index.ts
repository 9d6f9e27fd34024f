export * from './lib/clock';

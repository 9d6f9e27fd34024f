export * from './lib/topics';
export * from './lib/envelope';
export * from './lib/primitives';
export * from './lib/catalog';
export * from './lib/codec';
export * from './lib/events/upstream.events';
export * from './lib/events/dead-letter.events';
export * from './lib/recert-catalog';

import { MessagingTables1764000000000 } from '@recert/messaging';

/** Every migration of this service's schema, in order. */
export const migrations = [MessagingTables1764000000000];

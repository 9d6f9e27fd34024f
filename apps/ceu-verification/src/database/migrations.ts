import { DeadlinesTables1764600000000 } from '@recert/deadlines';
import { MessagingTables1764000000000 } from '@recert/messaging';
import { CeuTables1764100000000 } from './ceu-tables.migration';

/** Every migration of this service's schema, in order. */
export const migrations = [MessagingTables1764000000000, CeuTables1764100000000, DeadlinesTables1764600000000];

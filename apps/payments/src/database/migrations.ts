import { MessagingTables1764000000000 } from '@recert/messaging';
import { StaffActions1767000000000 } from '@recert/platform';
import { PayablesFollowFacts1766000000000 } from './payables-follow-facts.migration';
import { PaymentsTables1764300000000 } from './payments-tables.migration';

/** Every migration of this service's schema, in order. */
export const migrations = [
  MessagingTables1764000000000,
  PaymentsTables1764300000000,
  PayablesFollowFacts1766000000000,
  StaffActions1767000000000,
];

import {
  ConsumerPositionsTable1764800000000,
  MessagingTables1764000000000,
  RetentionIndexes1767200000000,
  ParkedMessages1767400000000,
} from '@recert/messaging';
import { Memberships1767000000000 } from './memberships.migration';
import { StaffActions1767100000000 } from '@recert/platform';
import { PayablesFollowFacts1766000000000 } from './payables-follow-facts.migration';
import { PaymentsTables1764300000000 } from './payments-tables.migration';
import { ProcessorEventsRetentionIndex1767200000002 } from './processor-events-retention-index.migration';

/** Every migration of this service's schema, in order. */
export const migrations = [
  MessagingTables1764000000000,
  PaymentsTables1764300000000,
  ConsumerPositionsTable1764800000000,
  PayablesFollowFacts1766000000000,
  Memberships1767000000000,
  StaffActions1767100000000,
  RetentionIndexes1767200000000,
  ProcessorEventsRetentionIndex1767200000002,
  ParkedMessages1767400000000,
];

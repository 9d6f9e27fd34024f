import { DeadlinesRetentionIndex1767200000001, DeadlinesTables1764600000000 } from '@recert/deadlines';
import {
  ConsumerPositionsTable1764800000000,
  MessagingTables1764000000000,
  ParkedMessages1767400000000,
  RetentionIndexes1767200000000,
} from '@recert/messaging';
import { StaffActions1767100000000 } from '@recert/platform';
import { CeuTables1764100000000 } from './ceu-tables.migration';
import { CompletionsByCourse1767300000000 } from './completions-by-course.migration';
import { CredentialLedgers1764810000000 } from './credential-ledgers.migration';
import { CredentialTimeZone1764820000000 } from './credential-time-zone.migration';

/** Every migration of this service's schema, in order. */
export const migrations = [
  MessagingTables1764000000000,
  CeuTables1764100000000,
  DeadlinesTables1764600000000,
  ConsumerPositionsTable1764800000000,
  CredentialLedgers1764810000000,
  CredentialTimeZone1764820000000,
  StaffActions1767100000000,
  RetentionIndexes1767200000000,
  DeadlinesRetentionIndex1767200000001,
  CompletionsByCourse1767300000000,
  ParkedMessages1767400000000,
];

import { DeadlinesRetentionIndex1767200000001, DeadlinesTables1764600000000 } from '@recert/deadlines';
import {
  MessagingTables1764000000000,
  ParkedMessages1767400000000,
  RetentionIndexes1767200000000,
} from '@recert/messaging';
import { StaffActions1767100000000 } from '@recert/platform';
import { ApplicationsTables1764200000000 } from './applications-tables.migration';
import { AuditFindings1764900000000 } from './audit-findings.migration';
import { CredentialEntity1764800000000 } from './credential-entity.migration';
import { RecertifyForLifeMembership1767000000000 } from './recertify-for-life-membership.migration';

/** Every migration of this service's schema, in order. */
export const migrations = [
  MessagingTables1764000000000,
  ApplicationsTables1764200000000,
  DeadlinesTables1764600000000,
  CredentialEntity1764800000000,
  AuditFindings1764900000000,
  RecertifyForLifeMembership1767000000000,
  StaffActions1767100000000,
  RetentionIndexes1767200000000,
  DeadlinesRetentionIndex1767200000001,
  ParkedMessages1767400000000,
];

import { DeadlinesRetentionIndex1767200000001, DeadlinesTables1764600000000 } from '@recert/deadlines';
import {
  MessagingTables1764000000000,
  ParkedMessages1767400000000,
  RetentionIndexes1767200000000,
} from '@recert/messaging';
import { StaffActions1767100000000 } from '@recert/platform';
import { AuditsTables1764400000000 } from './audits-tables.migration';
import { DocumentReviews1764700000000 } from './document-reviews.migration';
import { AuditReview1764900000000 } from './audit-review.migration';

/** Every migration of this service's schema, in order. */
export const migrations = [
  MessagingTables1764000000000,
  AuditsTables1764400000000,
  DeadlinesTables1764600000000,
  DocumentReviews1764700000000,
  AuditReview1764900000000,
  StaffActions1767100000000,
  RetentionIndexes1767200000000,
  DeadlinesRetentionIndex1767200000001,
  ParkedMessages1767400000000,
];

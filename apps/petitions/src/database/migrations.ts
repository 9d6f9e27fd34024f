import {
  MessagingTables1764000000000,
  ParkedMessages1767400000000,
  RetentionIndexes1767200000000,
} from '@recert/messaging';
import { StaffActions1767100000000 } from '@recert/platform';
import { PetitionActions1766000000000 } from './petition-actions.migration';
import { PetitionsTables1764500000000 } from './petitions-tables.migration';

/** Every migration of this service's schema, in order. */
export const migrations = [
  MessagingTables1764000000000,
  PetitionsTables1764500000000,
  PetitionActions1766000000000,
  StaffActions1767100000000,
  RetentionIndexes1767200000000,
  ParkedMessages1767400000000,
];

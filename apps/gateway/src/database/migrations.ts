import {
  MessagingTables1764000000000,
  ParkedMessages1767400000000,
  RetentionIndexes1767200000000,
} from '@recert/messaging';
import { StaffActions1767100000000 } from '@recert/platform';
import { BacklogSamples1765100000000 } from './backlog-samples.migration';
import { GatewayTables1764500000000 } from './gateway-tables.migration';
import { StaffTables1765000000000 } from './staff-tables.migration';

/** Every migration of this service's schema, in order. */
export const migrations = [
  MessagingTables1764000000000,
  GatewayTables1764500000000,
  StaffTables1765000000000,
  BacklogSamples1765100000000,
  StaffActions1767100000000,
  RetentionIndexes1767200000000,
  ParkedMessages1767400000000,
];

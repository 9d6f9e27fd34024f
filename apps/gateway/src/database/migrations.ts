import { MessagingTables1764000000000 } from '@recert/messaging';
import { StaffActions1767100000000 } from '@recert/platform';
import { GatewayTables1764500000000 } from './gateway-tables.migration';

/** Every migration of this service's schema, in order. */
export const migrations = [MessagingTables1764000000000, GatewayTables1764500000000, StaffActions1767100000000];

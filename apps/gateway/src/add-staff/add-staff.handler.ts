import { randomUUID } from 'node:crypto';
import { ConflictException, Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { Clock, CLOCK } from '@recert/clock';
import { STAFF_ROLES } from '@recert/platform';
import { PASSWORD_HASHER, PasswordHasher } from '../staff-accounts/password-hasher';
import { StaffAccount, StaffAccounts } from '../staff-accounts/staff-account.repository';

/** A new member of staff: the password is the first one, which the person is given in person. */
export const NewStaffMember = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(254),
  roles: z.array(z.enum(STAFF_ROLES)).min(1).max(STAFF_ROLES.length),
  password: z.string().min(12, 'must be at least 12 characters').max(256),
});
export type NewStaffMember = z.infer<typeof NewStaffMember>;

/** What anyone may see of an account: never its hash. */
export interface StaffAccountView {
  accountId: string;
  name: string;
  email: string;
  roles: readonly string[];
  locked: boolean;
  createdAt: string;
  createdBy: string;
}

export function viewOf(account: StaffAccount, now: Date): StaffAccountView {
  return {
    accountId: account.accountId,
    name: account.name,
    email: account.email,
    roles: account.roles,
    locked: account.lockedUntil !== null && account.lockedUntil > now,
    createdAt: account.createdAt.toISOString(),
    createdBy: account.createdBy,
  };
}

/**
 * Adds a member of staff: an admin from the console, or `npm run staff:create-admin` for the
 * first admin. One account per e-mail, whatever its case.
 */
@Injectable()
export class AddStaffHandler {
  private readonly accounts = new StaffAccounts();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(PASSWORD_HASHER) private readonly hasher: PasswordHasher,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async add(member: NewStaffMember, by: string): Promise<StaffAccountView> {
    const passwordHash = await this.hasher.hash(member.password);
    return this.dataSource.transaction(async (manager) => {
      const account = {
        accountId: randomUUID(),
        email: member.email.toLowerCase(),
        name: member.name,
        roles: [...new Set(member.roles)],
        passwordHash,
        createdAt: this.clock.now(),
        createdBy: by,
      };
      if (!(await this.accounts.insert(manager, account)))
        throw new ConflictException(`${account.email} already has an account`);
      return viewOf({ ...account, failedSignIns: 0, lockedUntil: null }, account.createdAt);
    });
  }

  async list(): Promise<StaffAccountView[]> {
    const now = this.clock.now();
    return (await this.accounts.list(this.dataSource.manager)).map((a) => viewOf(a, now));
  }
}

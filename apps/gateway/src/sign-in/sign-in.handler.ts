import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, CLOCK } from '@recert/clock';
import { StaffIdentity } from '@recert/platform';
import { PASSWORD_HASHER, PasswordHasher } from '../staff-accounts/password-hasher';
import { StaffAccounts } from '../staff-accounts/staff-account.repository';
import { STAFF_SESSION_CONFIG, StaffSessionConfig } from '../staff-sessions/staff-session-config';

export type SignInOutcome =
  | { readonly kind: 'signed-in'; readonly identity: StaffIdentity }
  | { readonly kind: 'refused' }
  | { readonly kind: 'locked'; readonly until: Date; readonly retryAfterSeconds: number };

/**
 * A person proves who they are with their e-mail and password. Wrong passwords in a row lock the
 * account for a while (counted under the account's row lock); a locked account is not even
 * checked, so guessing during the lock learns nothing. An unknown e-mail costs the same hash as a
 * known one and gets the same answer, so answers do not reveal who has an account.
 */
@Injectable()
export class SignInHandler {
  private readonly accounts = new StaffAccounts();
  private decoy: Promise<string> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(PASSWORD_HASHER) private readonly hasher: PasswordHasher,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(STAFF_SESSION_CONFIG) private readonly config: StaffSessionConfig,
  ) {}

  signIn(email: string, password: string): Promise<SignInOutcome> {
    return this.dataSource.transaction(async (manager) => {
      const account = await this.accounts.forUpdate(manager, email);
      const now = this.clock.now();
      if (!account) {
        this.decoy ??= this.hasher.hash('a password nobody has');
        await this.hasher.verify(await this.decoy, password);
        return { kind: 'refused' };
      }
      if (account.lockedUntil && account.lockedUntil > now) return locked(account.lockedUntil, now);
      if (await this.hasher.verify(account.passwordHash, password)) {
        if (account.failedSignIns > 0 || account.lockedUntil)
          await this.accounts.recordFailures(manager, account.accountId, 0, null);
        const { accountId, name, email: address, roles } = account;
        return { kind: 'signed-in', identity: { accountId, name, email: address, roles } };
      }
      const failed = account.failedSignIns + 1;
      if (failed < this.config.lockout.attempts) {
        await this.accounts.recordFailures(manager, account.accountId, failed, null);
        return { kind: 'refused' };
      }
      const until = new Date(now.getTime() + this.config.lockout.ms);
      await this.accounts.recordFailures(manager, account.accountId, 0, until);
      return locked(until, now);
    });
  }
}

function locked(until: Date, now: Date): SignInOutcome {
  return { kind: 'locked', until, retryAfterSeconds: Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)) };
}

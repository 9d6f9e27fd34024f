import { EntityManager } from 'typeorm';
import { StaffRole } from '@recert/platform';

export interface StaffAccount {
  readonly accountId: string;
  readonly email: string;
  readonly name: string;
  readonly roles: readonly StaffRole[];
  readonly passwordHash: string;
  readonly failedSignIns: number;
  readonly lockedUntil: Date | null;
  readonly createdAt: Date;
  /** Who added the account: `Name <e-mail>` of an admin, or the command that made the first one. */
  readonly createdBy: string;
}

type Row = Record<string, unknown>;

function toAccount(r: Row): StaffAccount {
  return {
    accountId: r['account_id'] as string,
    email: r['email'] as string,
    name: r['name'] as string,
    roles: r['roles'] as StaffRole[],
    passwordHash: r['password_hash'] as string,
    failedSignIns: r['failed_sign_ins'] as number,
    lockedUntil: (r['locked_until'] as Date | null) ?? null,
    createdAt: r['created_at'] as Date,
    createdBy: r['created_by'] as string,
  };
}

/** The gateway's staff accounts, read and written inside the caller's transaction. */
export class StaffAccounts {
  /** The account of an e-mail (any case), locked for the rest of the transaction. */
  async forUpdate(manager: EntityManager, email: string): Promise<StaffAccount | null> {
    const rows: Row[] = await manager.query(`SELECT * FROM staff_accounts WHERE email = lower($1) FOR UPDATE`, [email]);
    return rows.length ? toAccount(rows[0]) : null;
  }

  async list(manager: EntityManager): Promise<StaffAccount[]> {
    const rows: Row[] = await manager.query(`SELECT * FROM staff_accounts ORDER BY name, email`);
    return rows.map(toAccount);
  }

  /** False when the e-mail already has an account. */
  async insert(manager: EntityManager, account: Omit<StaffAccount, 'failedSignIns' | 'lockedUntil'>): Promise<boolean> {
    const rows: Row[] = await manager.query(
      `INSERT INTO staff_accounts (account_id, email, name, roles, password_hash, created_at, created_by)
       VALUES ($1, lower($2), $3, $4, $5, $6, $7) ON CONFLICT (email) DO NOTHING RETURNING account_id`,
      [
        account.accountId,
        account.email,
        account.name,
        [...account.roles],
        account.passwordHash,
        account.createdAt,
        account.createdBy,
      ],
    );
    return rows.length === 1;
  }

  async recordFailures(
    manager: EntityManager,
    accountId: string,
    failedSignIns: number,
    lockedUntil: Date | null,
  ): Promise<void> {
    await manager.query(`UPDATE staff_accounts SET failed_sign_ins = $2, locked_until = $3 WHERE account_id = $1`, [
      accountId,
      failedSignIns,
      lockedUntil,
    ]);
  }
}

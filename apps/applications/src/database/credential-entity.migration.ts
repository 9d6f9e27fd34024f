import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A credential is its own entity ("A credential's life", R1, R8, R9): a trainer may hold several,
 * each with its own cycles and applications. An application is received at the system's own
 * instant (the portal's time kept as its claim), judged on the ledger as it stood then, and an
 * approval records the credits it used (R4).
 */
export class CredentialEntity1764800000000 implements MigrationInterface {
  name = 'CredentialEntity1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cycles DROP CONSTRAINT cycles_trainer_id_fkey`);
    await q.query(`ALTER TABLE credentials DROP CONSTRAINT credentials_pkey`);
    await q.query(`ALTER TABLE credentials ADD PRIMARY KEY (credential_id)`);
    await q.query(`CREATE INDEX credentials_trainer ON credentials (trainer_id)`);

    await q.query(`ALTER TABLE cycles ADD COLUMN credential_id text`);
    await q.query(`UPDATE cycles y SET credential_id = c.credential_id FROM credentials c WHERE c.trainer_id = y.trainer_id`);
    await q.query(`ALTER TABLE cycles ALTER COLUMN credential_id SET NOT NULL`);
    // How the cycle began: a certification (the first, or again after a lapse) or a recertification (R1).
    await q.query(
      `ALTER TABLE cycles ADD COLUMN started_by text NOT NULL DEFAULT 'recertification' CHECK (started_by IN ('certification', 'recertification'))`,
    );
    await q.query(
      `UPDATE cycles y SET started_by = 'certification' FROM credentials c WHERE c.credential_id = y.credential_id AND y.starts_on = c.certified_on`,
    );
    await q.query(`ALTER TABLE cycles DROP CONSTRAINT cycles_pkey`);
    await q.query(`ALTER TABLE cycles ADD PRIMARY KEY (credential_id, expires_on)`);
    await q.query(`ALTER TABLE cycles ADD FOREIGN KEY (credential_id) REFERENCES credentials (credential_id)`);

    // The ledger an application is judged on is now the one at its receipt, kept with it.
    await q.query(`DROP TABLE ceu_ledgers`);

    await q.query(`ALTER TABLE applications ADD COLUMN credential_id text`);
    await q.query(
      `UPDATE applications a SET credential_id = c.credential_id FROM credentials c WHERE c.trainer_id = a.trainer_id`,
    );
    await q.query(`ALTER TABLE applications ALTER COLUMN credential_id SET NOT NULL`);
    await q.query(`ALTER TABLE applications ADD COLUMN cycle_starts_on date`);
    await q.query(
      `UPDATE applications a SET cycle_starts_on = y.starts_on FROM cycles y
       WHERE y.credential_id = a.credential_id AND y.expires_on = a.cycle_expires_on`,
    );
    await q.query(`ALTER TABLE applications ALTER COLUMN cycle_starts_on SET NOT NULL`);
    await q.query(`ALTER TABLE applications ADD COLUMN received_at timestamptz`);
    await q.query(`ALTER TABLE applications ADD COLUMN claimed_submitted_at timestamptz`);
    await q.query(`ALTER TABLE applications ADD COLUMN ledger_at_receipt jsonb`);
    await q.query(`ALTER TABLE applications ADD COLUMN consumed_credit_ids jsonb`);
    await q.query(`ALTER TABLE applications ADD COLUMN refusal jsonb`);
    await q.query(`ALTER TABLE applications DROP CONSTRAINT applications_status_check`);
    await q.query(
      `ALTER TABLE applications ADD CONSTRAINT applications_status_check CHECK (status IN ('received', 'refused', 'submitted', 'approved', 'denied'))`,
    );
    // R12: one application in progress or approved per credential and cycle.
    await q.query(`DROP INDEX applications_one_per_cycle`);
    await q.query(`
      CREATE UNIQUE INDEX applications_one_per_cycle ON applications (credential_id, cycle_expires_on)
      WHERE status IN ('received', 'submitted', 'approved')`);
    await q.query(`CREATE INDEX applications_trainer ON applications (trainer_id)`);
  }

  async down(): Promise<void> {
    throw new Error('CredentialEntity1764800000000 cannot be undone: one credential per trainer cannot hold several');
  }
}

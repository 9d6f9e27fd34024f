import { MigrationInterface, QueryRunner } from 'typeorm';

export class ApplicationsTables1764200000000 implements MigrationInterface {
  name = 'ApplicationsTables1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE credentials (
        trainer_id    text PRIMARY KEY,
        credential_id text NOT NULL,
        time_zone     text NOT NULL,
        certified_on  date NOT NULL
      )`);
    await q.query(`
      CREATE TABLE cycles (
        trainer_id text NOT NULL REFERENCES credentials (trainer_id),
        starts_on  date NOT NULL,
        expires_on date NOT NULL,
        PRIMARY KEY (trainer_id, expires_on)
      )`);
    // The newest CEU ledger of each trainer's cycle, as the CEU service published it.
    await q.query(`
      CREATE TABLE ceu_ledgers (
        trainer_id           text    NOT NULL,
        cycle_expires_on     date    NOT NULL,
        revision             integer NOT NULL,
        total_ceu_hundredths integer NOT NULL,
        counted              jsonb   NOT NULL,
        cpr_aed_cards        jsonb   NOT NULL,
        PRIMARY KEY (trainer_id, cycle_expires_on)
      )`);
    await q.query(`
      CREATE TABLE applications (
        application_id     uuid PRIMARY KEY,
        trainer_id         text    NOT NULL,
        cycle_expires_on   date    NOT NULL,
        received_on        date    NOT NULL,
        status             text    NOT NULL CHECK (status IN ('refused', 'submitted', 'approved', 'denied')),
        recertify_for_life boolean NOT NULL DEFAULT false,
        fee_tier           text,
        fee_lines          jsonb,
        fee_total_cents    integer,
        fee_paid           boolean NOT NULL DEFAULT false,
        audit_state        text CHECK (audit_state IN ('not-selected', 'awaiting-documents', 'passed', 'failed')),
        refusal_reasons    jsonb,
        decision           jsonb,
        decided_on         date
      )`);
    // R12: one open or approved application per trainer and cycle.
    await q.query(`
      CREATE UNIQUE INDEX applications_one_per_cycle ON applications (trainer_id, cycle_expires_on)
      WHERE status IN ('submitted', 'approved')`);
    await q.query(`CREATE INDEX applications_status ON applications (status)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['applications', 'ceu_ledgers', 'cycles', 'credentials']) await q.query(`DROP TABLE ${table}`);
  }
}

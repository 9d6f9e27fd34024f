import { MigrationInterface, QueryRunner } from 'typeorm';

export class CeuTables1764100000000 implements MigrationInterface {
  name = 'CeuTables1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE trainer_cycles (
        trainer_id text NOT NULL,
        starts_on  date NOT NULL,
        expires_on date NOT NULL,
        PRIMARY KEY (trainer_id, expires_on)
      )`);
    await q.query(`
      CREATE TABLE approved_courses (
        provider_id    text    NOT NULL,
        course_id      text    NOT NULL,
        approved_from  date    NOT NULL,
        approved_until date    NOT NULL,
        ceu_hundredths integer NOT NULL CHECK (ceu_hundredths > 0),
        title          text    NOT NULL,
        nasm_own       boolean NOT NULL,
        PRIMARY KEY (provider_id, course_id, approved_from)
      )`);
    await q.query(`
      CREATE TABLE completions (
        completion_id text PRIMARY KEY,
        trainer_id    text NOT NULL,
        provider_id   text NOT NULL,
        course_id     text NOT NULL,
        completed_on  date NOT NULL,
        course_title  text
      )`);
    await q.query(`CREATE INDEX completions_trainer ON completions (trainer_id)`);
    await q.query(`CREATE INDEX completions_course ON completions (provider_id, course_id)`);
    await q.query(`
      CREATE TABLE cpr_aed_cards (
        card_id              text PRIMARY KEY,
        trainer_id           text    NOT NULL,
        issued_on            date    NOT NULL,
        expires_on           date    NOT NULL,
        includes_adult_cpr   boolean NOT NULL,
        includes_aed         boolean NOT NULL,
        hands_on_assessment  boolean NOT NULL
      )`);
    await q.query(`CREATE INDEX cpr_aed_cards_trainer ON cpr_aed_cards (trainer_id)`);
    await q.query(`
      CREATE TABLE petition_credits (
        petition_id    text PRIMARY KEY,
        trainer_id     text    NOT NULL,
        ceu_hundredths integer NOT NULL CHECK (ceu_hundredths > 0),
        completed_on   date    NOT NULL
      )`);
    await q.query(`CREATE INDEX petition_credits_trainer ON petition_credits (trainer_id)`);
    // One row per trainer: its lock serialises ledger changes, its revision orders them.
    await q.query(`CREATE TABLE ledgers (trainer_id text PRIMARY KEY, revision integer NOT NULL DEFAULT 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'ledgers',
      'petition_credits',
      'cpr_aed_cards',
      'completions',
      'approved_courses',
      'trainer_cycles',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}

import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { Browser, chromium, Page } from 'playwright-core';
import { TEST_DATABASE_URL, waitFor } from '@recert/testing';
import { RecertSystem } from './support/recert-system';
import { TrainerStory } from './support/trainer-story';

const ROOT = join(__dirname, '..', '..', '..');
const ARTIFACTS = join(ROOT, '.local', 'test-artifacts');
const ADMIN = { name: 'Ada Admin', email: 'ada@example.org', password: 'ada-password-0123' };
const REVIEWER = { name: 'Rita Reviewer', email: 'rita@example.org', password: 'rita-password-0123' };
const OPS = { name: 'Otto Ops', email: 'otto@example.org', password: 'otto-password-0123' };

/**
 * Issue 14: the staff console in headless Chromium (Debian's, through playwright-core), on the
 * whole system booted in this process. People sign in with the accounts the first admin makes;
 * every page is checked with axe (no serious or critical violation); screenshots go to
 * .local/test-artifacts/.
 */
describe('the staff console (issue 14)', () => {
  let system: RecertSystem;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    // The console the gateway serves is built (nx caches it when nothing changed).
    execFileSync('npx', ['nx', 'run', 'staff-console:build', '--output-style=static'], { cwd: ROOT, stdio: 'ignore' });
    system = await RecertSystem.start({
      auditRatePpm: 1_000_000,
      // The backlog is sampled every second, so its chart has points within the test.
      env: { CLOCK_START_AT: '2026-11-20T10:00:00.000Z', OPS_SAMPLE_SECONDS: '1' },
    });
    base = await system.gatewayUrl();
    // The first admin, made by the one command meant for it, in this run's gateway schema.
    const created = execFileSync(
      'npm',
      ['run', '--silent', 'staff:create-admin', '--', '--email', ADMIN.email, '--name', ADMIN.name],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          DATABASE_URL: TEST_DATABASE_URL,
          DB_SCHEMA: `${system.prefix}_gateway`,
          STAFF_ADMIN_PASSWORD: ADMIN.password,
        },
        encoding: 'utf8',
      },
    );
    expect(created).toBe(
      `created Ada Admin <ada@example.org> (admin) in schema ${system.prefix}_gateway; sign in at /console\n`,
    );
    browser = await chromium.launch({
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      // Background networking is off: this machine's closed network refuses Chromium's own calls.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  }, 120_000);

  async function signIn(who: { email: string; password: string }): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/console`);
    await page.getByLabel('E-mail').fill(who.email);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('who').waitFor();
    return page;
  }

  /** axe on the page as it is: nothing serious or critical. */
  async function accessible(page: Page, name: string): Promise<void> {
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${name}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(serious).toEqual([]);
  }

  const shot = (page: Page, file: string) => page.screenshot({ path: join(ARTIFACTS, file), fullPage: true });

  it('the admin signs in and adds a reviewer and an ops user from the console', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const signInPage = await context.newPage();
    await signInPage.goto(`${base}/console`);
    await accessible(signInPage, 'sign-in');
    await shot(signInPage, 'console-sign-in.png');
    await context.close();

    const page = await signIn(ADMIN);
    await page.getByRole('heading', { name: 'Staff', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/staff');
    expect(await page.getByRole('navigation', { name: 'Pages' }).innerText()).toBe('Staff');
    for (const [member, role] of [
      [REVIEWER, 'reviewer'],
      [OPS, 'ops'],
    ] as const) {
      await page.getByLabel('Name', { exact: true }).fill(member.name);
      await page.getByLabel('E-mail').fill(member.email);
      await page.getByRole('checkbox', { name: role }).check();
      await page.getByLabel(/First password/).fill(member.password);
      await page.getByRole('button', { name: 'Add' }).click();
      await page.getByText(`Added ${member.name} (${member.email}) as ${role}.`).waitFor();
      await page.getByRole('checkbox', { name: role }).uncheck();
    }
    const table = await page.getByRole('table', { name: 'Staff accounts' }).innerText();
    expect(table).toContain('Rita Reviewer\trita@example.org\treviewer\tno\tAda Admin <ada@example.org>\t2026-11-20');
    expect(table).toContain('Otto Ops\totto@example.org\tops\tno\tAda Admin <ada@example.org>\t2026-11-20');
    await accessible(page, 'staff');
    await shot(page, 'console-staff.png');
    await page.context().close();
  });

  it('a reviewer approves a petition, rejects an audit document, accepts its replacement and passes the audit: the application is approved', async () => {
    const trainer = new TrainerStory(system);
    await trainer.certified('2024-12-10', '2026-12-10');
    await trainer.approvedCourse(`C17-${trainer.trainerId}`, 170);
    const course = await trainer.completed(`C17-${trainer.trainerId}`, '2026-03-01');
    await trainer.cprAedCard('2025-06-01', '2027-12-10');
    const petitionId = await trainer.petitions('Kettlebell basics', '2026-02-01', '2');
    await waitFor(
      () => system.api('GET', `/v1/petitions/${petitionId}`),
      (r) => r.status === 200,
      { what: 'the petition' },
    );
    await trainer.paysPetitionFee(petitionId);
    await waitFor(
      () => system.api('GET', `/v1/petitions/${petitionId}`),
      (r) => r.body?.state === 'fee-paid',
      {
        what: 'the petition fee paid',
      },
    );

    const page = await signIn(REVIEWER);
    // A reviewer lands on the petition queue.
    await page.getByRole('heading', { name: 'Petitions', level: 1 }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Pages' }).innerText()).toBe(
      'Petitions\nAudits\nTrainer lookup\nWhat-if',
    );
    await page.getByRole('button', { name: `Open petition ${petitionId}` }).click();
    const petition = page.getByTestId('petition');
    await expect(petition.innerText()).resolves.toContain(`s3://recert-petitions/${petitionId}.pdf`);
    await accessible(page, 'petitions');
    await petition.getByRole('button', { name: 'Start review' }).click();
    await petition.getByLabel('CEUs granted (at most 0.2)').fill('0.2');
    await petition.getByLabel('Reason for approving').fill('Certificate shows 2 contact hours');
    await petition.getByRole('button', { name: 'Approve' }).click();
    await page.getByTestId('petition-state').filter({ hasText: 'approved' }).waitFor();
    const acts = await petition.getByRole('table', { name: 'Acts on this petition' }).innerText();
    expect(acts).toMatch(/^review\tRita Reviewer <rita@example\.org> \(reviewer\), 2026-11-20 10:\d\d UTC\t—\t—$/m);
    expect(acts).toMatch(
      /^approve\tRita Reviewer <rita@example\.org> \(reviewer\), 2026-11-20 10:\d\d UTC\tCertificate shows 2 contact hours\t0\.2$/m,
    );
    await shot(page, 'console-petition-approved.png');

    // The petition's 0.2 completes the 1.9: the trainer applies, pays, and is drawn for audit.
    await trainer.ledgerReached(190);
    const applicationId = await trainer.applies(system.now().toISOString());
    await trainer.pays(applicationId, 9_900);
    await waitFor(
      () => system.applicationOnceIn(applicationId, ['submitted']),
      (row) => row.audit_state === 'awaiting-documents',
      {
        what: 'the audit to wait for documents',
      },
    );
    await trainer.uploads(applicationId, 'course-certificate', course);
    await trainer.uploads(applicationId, 'course-certificate', petitionId);
    await trainer.uploads(applicationId, 'cpr-aed-card-front');
    await trainer.uploads(applicationId, 'cpr-aed-card-back');
    await waitFor(
      () => system.api('GET', `/v1/audits/${applicationId}`),
      (r) => r.body?.status === 'under-review',
      {
        what: 'the audit under review',
      },
    );

    await page.getByRole('link', { name: 'Audits' }).click();
    await page.getByRole('button', { name: `Open audit ${applicationId}` }).click();
    const audit = page.getByTestId('audit');
    await audit.getByTestId('audit-status').filter({ hasText: 'under-review' }).waitFor();
    await accessible(page, 'audits');
    const front = trainer.documentId(applicationId, 'cpr-aed-card-front');
    await audit.getByRole('button', { name: `Review document ${front}` }).click();
    await audit.getByLabel('Reason for rejecting').fill('The photo of the card is blurred');
    await audit.getByRole('button', { name: 'Reject document' }).click();
    await audit.getByTestId('audit-status').filter({ hasText: 'awaiting-documents' }).waitFor();
    expect(await audit.getByTestId(`document-${front}`).getByTestId('review-state').innerText()).toBe(
      'rejected: The photo of the card is blurred',
    );

    await trainer.uploads(applicationId, 'cpr-aed-card-front', undefined, 2);
    await waitFor(
      () => system.api('GET', `/v1/audits/${applicationId}`),
      (r) => r.body?.status === 'under-review',
      {
        what: 'the audit under review again',
      },
    );
    await audit.getByRole('button', { name: 'Refresh' }).click();
    await audit.getByTestId('audit-status').filter({ hasText: 'under-review' }).waitFor();
    for (const documentId of [
      trainer.documentId(applicationId, 'course-certificate', course),
      trainer.documentId(applicationId, 'course-certificate', petitionId),
      trainer.documentId(applicationId, 'cpr-aed-card-front', undefined, 2),
      trainer.documentId(applicationId, 'cpr-aed-card-back'),
    ]) {
      await audit.getByRole('button', { name: `Review document ${documentId}` }).click();
      await audit.getByRole('button', { name: 'Accept document' }).click();
      await audit
        .getByTestId(`document-${documentId}`)
        .getByTestId('review-state')
        .filter({ hasText: 'accepted' })
        .waitFor();
    }
    await audit.getByLabel('Note (optional)').last().fill('All four documents legible');
    await audit.getByRole('button', { name: 'Pass the audit' }).click();
    await audit.getByTestId('audit-status').filter({ hasText: 'passed' }).waitFor();
    const trail = await audit.getByRole('table', { name: 'Who did what' }).innerText();
    expect(trail).toMatch(
      /^reject-document\t\S+-cpr-aed-card-front-\tRita Reviewer <rita@example\.org> \(reviewer\), 2026-11-20 10:\d\d UTC\tThe photo of the card is blurred$/m,
    );
    expect(trail).toMatch(
      /^pass\t—\tRita Reviewer <rita@example\.org> \(reviewer\), 2026-11-20 10:\d\d UTC\tAll four documents legible$/m,
    );
    await shot(page, 'console-audit-passed.png');

    const approved = await system.applicationOnceIn(applicationId, ['approved', 'denied']);
    expect(approved).toMatchObject({ status: 'approved', audit_state: 'passed', fee_total_cents: 9_900 });

    // The trainer lookup shows it all: by credential id too.
    await page.getByRole('link', { name: 'Trainer lookup' }).click();
    await page.getByLabel('Trainer id or credential id').fill(`CPT-${trainer.trainerId}`);
    await page.getByRole('button', { name: 'Find' }).click();
    const found = page.getByTestId(`application-${applicationId}`);
    await found.getByTestId('application-status').filter({ hasText: 'approved' }).waitFor();
    const ledger = await page
      .getByRole('table', { name: 'Ledger: counted, not counted, used by an earlier cycle' })
      .first()
      .innerText();
    // The new cycle's ledger: the approval consumed both credits (R4, credits are used once).
    const usedEarlier =
      'used by an earlier cycle\t—\t—\tR4: used by the approved recertification of the cycle that expired 2026-12-10; credits count once';
    expect(ledger).toContain(`${course}\t${usedEarlier}`);
    expect(ledger).toContain(`${petitionId}\t${usedEarlier}`);
    expect(await found.innerText()).toContain('standard: standard $99.00 = $99.00, paid');
    const atReceipt = await found
      .getByRole('table', { name: 'The ledger at receipt: what this application was judged on' })
      .innerText();
    expect(atReceipt.split('\n').slice(2)).toEqual([
      `${course}\tcounted\t1.70\t2026-03-01\tapproved-course`,
      `${petitionId}\tcounted\t0.20\t2026-02-01\tpetition`,
    ]);
    const rules = await found.getByRole('table', { name: /^Decision: approved, rule by rule$/ }).innerText();
    expect(rules.split('\n').map((line) => line.split('\t')[0])).toEqual([
      'Decision: approved, rule by rule',
      'Rule',
      'R2',
      'R7',
      'R9',
      'R10',
      'R11',
    ]);
    await accessible(page, 'trainer lookup');
    await shot(page, 'console-trainer.png');

    await page.getByRole('link', { name: 'What-if' }).click();
    await page.getByLabel('Trainer id').fill(trainer.trainerId);
    await page.getByLabel('Day').fill('2026-12-20');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByTestId('what-if').waitFor();
    await accessible(page, 'what-if');
    await shot(page, 'console-what-if.png');
    await page.context().close();
  });

  it('an ops user sees each chart with the numbers the API returns for the same range, each number drilling down to its list', async () => {
    const page = await signIn(OPS);
    // Ops land on the dashboard.
    await page.getByRole('heading', { name: 'Ops dashboard', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/ops');
    await page
      .getByTestId('chart-backlog')
      .getByText(/^Latest of [1-9]\d* points$/)
      .waitFor();
    await page.getByLabel('Range', { exact: true }).selectOption('custom');
    await page.getByLabel('From', { exact: true }).fill('2026-11-14');
    await page.getByLabel('To', { exact: true }).fill('2026-11-20');
    const answered = page.waitForResponse((r) => r.url().endsWith('/v1/ops/charts?from=2026-11-14&to=2026-11-20'));
    await page.getByRole('button', { name: 'Show' }).click();
    const api = await (await answered).json();
    await page.getByTestId('range').filter({ hasText: '2026-11-14 to 2026-11-20 (UTC days)' }).waitFor();
    // The page's numbers are the API's, for the same range, asked again on the side.
    const again = (await page.evaluate(async () =>
      (await fetch('/v1/ops/charts?from=2026-11-14&to=2026-11-20')).json(),
    )) as typeof api;
    expect(again.applications).toEqual(api.applications);
    expect(again.fees).toEqual(api.fees);
    expect(again.deadlines).toEqual(api.deadlines);

    const rowsOf = async (chart: string, caption: string) =>
      (await page.getByTestId(`chart-${chart}`).getByRole('table', { name: caption }).innerText()).split('\n').slice(2);
    const money = (cents: number) => `$${(cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`;
    expect(await rowsOf('applications', 'Applications per day')).toEqual(
      api.applications.data
        .filter((r: Record<string, number>) => r['received'] + r['approved'] + r['denied'] + r['refused'] > 0)
        .map((r: Record<string, number | string>) =>
          [r['day'], r['received'], r['approved'], r['denied'], r['refused']].join('\t'),
        ),
    );
    expect(api.applications.data.find((r: { day: string }) => r.day === '2026-11-20')).toMatchObject({
      approved: expect.any(Number),
    });
    expect(await rowsOf('fees', 'Fees per day')).toEqual(
      api.fees.data
        .filter((r: Record<string, number>) => r['applicationFeeCents'] + r['petitionFeeCents'] > 0)
        .map((r: Record<string, number>) =>
          [r['day'], money(r['applicationFeeCents']), money(r['petitionFeeCents'])].join('\t'),
        ),
    );
    expect(await rowsOf('audits', 'Audit queue')).toEqual(
      api.auditQueue.data.map((r: { daysLeft: number; count: number }) => `${r.daysLeft}\t${r.count}`),
    );
    expect(await rowsOf('deadlines', 'Deadlines per week')).toEqual(
      api.deadlines.data.map(
        (r: { weekOf: string; kind: string; count: number }) => `${r.weekOf}\t${r.kind}\t${r.count}`,
      ),
    );
    expect(await rowsOf('dead-letters', 'Dead letters per day')).toEqual(
      api.deadLetters.data
        .filter((r: { count: number }) => r.count > 0)
        .map((r: { day: string; count: number }) => `${r.day}\t${r.count}`),
    );
    const times = new Set(api.backlog.data.map((r: { at: string }) => r.at));
    await page.getByTestId('chart-backlog').getByText(`Latest of ${times.size} points`).waitFor();
    for (const chart of ['applications', 'fees', 'audits', 'deadlines', 'backlog', 'dead-letters']) {
      const box = await page.getByTestId(`chart-${chart}`).locator('canvas').boundingBox();
      expect({ chart, drawn: (box?.width ?? 0) > 100 && (box?.height ?? 0) > 100 }).toEqual({ chart, drawn: true });
    }
    await accessible(page, 'ops dashboard');
    await shot(page, 'console-ops-dashboard.png');

    // A number lists what it counts: the applications received on the 20th, each id whole on one line.
    const received = api.applications.data.find((r: { day: string }) => r.day === '2026-11-20').received;
    await page.getByRole('button', { name: `${received} applications received on 2026-11-20: list them` }).click();
    const drill = page.getByTestId('drill');
    await drill.getByRole('table', { name: `Applications received on 2026-11-20 (${received})` }).waitFor();
    // An inline element that wraps has one box per line.
    const wrapped = await page.evaluate(
      `[...document.querySelectorAll('code.id')].filter((e) => e.getClientRects().length !== 1).map((e) => e.textContent)`,
    );
    expect(wrapped).toEqual([]);
    await shot(page, 'console-ops-drill-down.png');
    await page.context().close();
  });

  it('dead letters (issue 15): an ops user finds a parked application, reads it whole, and replays it from the keyboard once its cause is gone; it is then received', async () => {
    // The poison message: an application that came before the trainer's certification.
    const trainer = new TrainerStory(system);
    const applicationId = await trainer.applies(system.now().toISOString());
    await waitFor(
      () => system.api('GET', `/v1/ops/dead-letters/applications?reason=${trainer.trainerId}`),
      (r) => r.status === 200 && r.body.total === 1,
      // Patient: the consumer of a fresh system first reads the topic from its start.
      { what: 'the application parked', timeoutMs: 180_000 },
    );
    const page = await signIn(OPS);
    await page.getByRole('heading', { name: 'Dead letters', exact: true, level: 2 }).waitFor();

    // Filtered by the reason's text from the keyboard: type, Enter submits.
    await page.getByLabel('Reason contains').focus();
    await page.keyboard.type(trainer.trainerId);
    await page.keyboard.press('Enter');
    await page
      .getByTestId('dead-letters-total')
      .getByText(/^1 parked in applications/)
      .waitFor();
    const table = page.getByRole('table', { name: 'Dead letters of applications' });
    expect(await table.innerText()).toContain(`no credential is known for trainer ${trainer.trainerId}`);
    await table.getByRole('button', { name: /^Open dead letter/ }).focus();
    await page.keyboard.press('Enter');

    // The message whole, the focus on it.
    const title = page.getByRole('heading', {
      level: 3,
      name: /^Dead letter \d+: RecertificationApplicationSubmitted on portal\.submissions$/,
    });
    await title.waitFor();
    expect(await page.evaluate('document.activeElement.id')).toBe('dead-letter-title');
    const original = JSON.parse(await page.getByTestId('dead-letter-original').innerText());
    expect(original.payload).toMatchObject({ applicationId, trainerId: trainer.trainerId });
    expect(await page.getByTestId('dead-letter-status').innerText()).toBe('parked');
    await accessible(page, 'ops-dead-letters');
    await shot(page, 'console-ops-dead-letter.png');

    // The cause removed, the replay pressed from the keyboard.
    await trainer.certified('2024-12-10', '2026-12-10');
    await waitFor(
      () => system.api('GET', `/v1/credentials/CPT-${trainer.trainerId}`),
      (r) => r.status === 200,
      { what: 'the certification on record' },
    );
    await page.getByRole('button', { name: 'Replay', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page
      .getByTestId('dead-letters-note')
      .getByText(/^Replayed dead letter \d+: processed\.$/)
      .waitFor();
    await page
      .getByTestId('dead-letter-status')
      .getByText(/^replayed by Otto Ops <otto@example\.org>, 2026-11-20 /)
      .waitFor();
    expect(await page.getByRole('button', { name: 'Replay', exact: true }).count()).toBe(0);
    const application = await system.api('GET', `/v1/applications/${applicationId}`);
    expect(application.status).toBe(200);
    await page.context().close();
  }, 300_000);

  it('works from the keyboard alone: sign in, skip to the content, reach the audits, with the focus always visible', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/console`);
    // The console renders after its script runs: the keyboard starts once the form is there.
    await page.locator('#email').waitFor();
    const focusRing = () =>
      page.evaluate(
        `(() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle + ' ' + s.outlineWidth; })()`,
      );
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.id')).toBe('email');
    expect(await focusRing()).toBe('solid 3px');
    await page.keyboard.type(REVIEWER.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(REVIEWER.password);
    await page.keyboard.press('Enter');
    await page.getByTestId('who').waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to content');
    expect(await focusRing()).toBe('solid 3px');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Audits');
    expect(await focusRing()).toBe('solid 3px');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Audits', level: 1 }).waitFor();
    await context.close();
  });

  it('a reviewer is refused the ops pages, in the browser and at the server', async () => {
    const page = await signIn(REVIEWER);
    expect(await page.getByRole('link', { name: 'Ops dashboard' }).count()).toBe(0);
    const refused = await page.goto(`${base}/console/ops`);
    expect(refused?.status()).toBe(403);
    expect(await page.locator('body').innerText()).toContain('GET /console/ops needs the role ops');
    await page.goto(`${base}/console/petitions`);
    await page.getByTestId('who').waitFor();
    const api = await page.evaluate(async () => (await fetch('/v1/ops/summary')).status);
    expect(api).toBe(403);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
    expect(await page.evaluate(async () => (await fetch('/v1/petitions')).status)).toBe(401);
    await page.context().close();
  });

  it('a session ends after 30 idle minutes of the system clock: the console asks to sign in again', async () => {
    const page = await signIn(REVIEWER);
    await page.getByRole('table', { name: /^Petitions \(\d+\)$/ }).waitFor();
    const ops = { authorization: `Bearer ${RecertSystem.tokens.ops}`, 'content-type': 'application/json' };
    const gateway = await system.urlOf('gateway');
    const { now } = (await (await fetch(`${gateway}/clock`, { headers: ops })).json()) as { now: string };
    const moved = await fetch(`${gateway}/clock`, {
      method: 'POST',
      headers: ops,
      body: JSON.stringify({ to: new Date(Date.parse(now) + 31 * 60_000).toISOString() }),
    });
    expect(moved.status).toBe(201);
    await page.getByRole('link', { name: 'Audits' }).click();
    await page.getByText('Your session ended after a while without use. Please sign in again.').waitFor();
    expect(await page.getByRole('button', { name: 'Sign in' }).isVisible()).toBe(true);
    await shot(page, 'console-session-ended.png');
    await page.context().close();
  });

  it('time travel asked by an ops session moves every service, the identity minted afresh as the clock moves days', async () => {
    const page = await signIn(OPS);
    // Read with an ops token: 15 days on, the session itself has ended (12 hours at most).
    const clocks = async () =>
      (await system.api('GET', '/v1/clock', undefined, { authorization: `Bearer ${RecertSystem.tokens.ops}` })).body
        .services as Record<string, { now: string }>;
    const before = await clocks();
    const moved = await page.evaluate(async () => {
      const { csrfToken } = (await (await fetch('/v1/session')).json()) as { csrfToken: string };
      const response = await fetch('/v1/clock/advance', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
        body: JSON.stringify({ days: 15 }),
      });
      return { status: response.status, body: (await response.json()) as { stops: number; fired: number } };
    });
    expect(moved).toMatchObject({ status: 200, body: { stops: expect.any(Number), fired: expect.any(Number) } });
    // Every service's clock moved the 15 days, each stop asked with an identity minted at its time.
    const after = await clocks();
    expect(Object.keys(after).sort()).toEqual(['applications', 'audits', 'ceu-verification', 'payments', 'petitions']);
    for (const [service, clock] of Object.entries(after))
      expect({ service, days: (Date.parse(clock.now) - Date.parse(before[service].now)) / 86_400_000 >= 15 }).toEqual({
        service,
        days: true,
      });
    await page.context().close();
  });
});

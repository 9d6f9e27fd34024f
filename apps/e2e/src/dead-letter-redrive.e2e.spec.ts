import { waitFor } from '@recert/testing';
import { RecertSystem } from './support/recert-system';
import { TrainerStory } from './support/trainer-story';

/**
 * Issue 15 item 1 from outside, through the gateway with an ops token: an application that came
 * before the trainer's certification is parked; once the certification is on record, ops find it,
 * read it whole, and replay it: the application is received, once.
 */
describe('dead-letter redrive through the public API (issue 15)', () => {
  let system: RecertSystem;
  const asOps = () => ({ authorization: `Bearer ${RecertSystem.tokens.ops}` });
  const ops = (method: 'GET' | 'POST', path: string, body?: unknown) => system.api(method, path, body, asOps());

  beforeAll(async () => {
    system = await RecertSystem.start({ auditRatePpm: 0 });
  }, 240_000);

  afterAll(() => system?.stop());

  it('an application parked for want of a certification is listed, read whole, replayed once the cause is gone, and received once', async () => {
    const trainer = new TrainerStory(system);
    const submittedAt = system.now().toISOString();
    const applicationId = await trainer.applies(submittedAt);
    const reason = `no credential is known for trainer ${trainer.trainerId}`;

    // Listed by the reason's text and the event type, as parked.
    const listed = await waitFor(
      () =>
        ops(
          'GET',
          `/v1/ops/dead-letters/applications?reason=${encodeURIComponent(trainer.trainerId)}&eventType=RecertificationApplicationSubmitted`,
        ),
      (r) => r.status === 200 && r.body.total === 1,
      { what: 'the application parked', timeoutMs: 240_000 },
    );
    const [parked] = listed.body.items;
    expect(parked).toMatchObject({
      consumer: expect.stringMatching(/applications/),
      topic: 'portal.submissions',
      eventType: 'RecertificationApplicationSubmitted',
      kind: 'rejected',
      reason,
      status: 'parked',
      settledBy: null,
    });
    const other = await ops(
      'GET',
      `/v1/ops/dead-letters/applications?reason=${encodeURIComponent(trainer.trainerId)}&status=discarded`,
    );
    expect(other.body.total).toBe(0);

    // Read whole: the original as the portal sent it.
    const whole = await ops('GET', `/v1/ops/dead-letters/applications/${parked.id}`);
    expect(whole.status).toBe(200);
    const original = JSON.parse(whole.body.value);
    expect(original).toMatchObject({
      type: 'RecertificationApplicationSubmitted',
      payload: { applicationId, trainerId: trainer.trainerId, submittedAt },
    });
    expect(Buffer.from(whole.body.valueBase64, 'base64').toString('utf8')).toBe(whole.body.value);

    // Not received while parked; refused to anyone but ops.
    expect((await system.api('GET', `/v1/applications/${applicationId}`)).status).toBe(404);
    const reviewer = await system.api('POST', `/v1/ops/dead-letters/applications/${parked.id}/replay`, undefined, {
      authorization: `Bearer ${RecertSystem.tokens.reviewer}`,
    });
    expect(reviewer.status).toBe(403);

    // The cause removed: the certification arrives. Then the replay, by ops.
    await trainer.certified('2024-12-10', '2026-12-10');
    await waitFor(
      () => system.api('GET', `/v1/credentials/CPT-${trainer.trainerId}`),
      (r) => r.status === 200,
      { what: 'the certification on record' },
    );
    const replayed = await ops('POST', `/v1/ops/dead-letters/applications/${parked.id}/replay`);
    expect(replayed).toMatchObject({
      status: 200,
      body: { outcome: 'processed', parked: { id: parked.id, status: 'replayed', settledBy: 'ops' } },
    });
    const application = await system.api('GET', `/v1/applications/${applicationId}`);
    expect(application.status).toBe(200);

    // Replayed twice: refused, and the application is there once.
    const again = await ops('POST', `/v1/ops/dead-letters/applications/${parked.id}/replay`);
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/^already replayed by ops at /);
    const [{ n }] = await system.query<{ n: number }>(
      'applications',
      `SELECT count(*)::int AS n FROM schema.applications WHERE application_id = $1`,
      [applicationId],
    );
    expect(n).toBe(1);
    const actions = await system.query<{ actor_name: string; action: string }>(
      'applications',
      `SELECT actor_name, action FROM schema.staff_actions WHERE subject LIKE $1`,
      [`%/${original.id}`],
    );
    expect(actions).toEqual([{ actor_name: 'ops', action: 'dead-letter.replay' }]);
  }, 300_000);

  it('a message the consumer cannot read is discarded with a reason: listed as discarded, and no longer replayable', async () => {
    const marker = RecertSystem.id();
    await system.publishRaw('portal.submissions', `{"broken": "${marker}"`, marker);
    // Other unreadable messages may be parked too: ours is the one whose original holds the marker.
    const parkedWithMarker = async () => {
      const listed = await ops(
        'GET',
        `/v1/ops/dead-letters/applications?topic=portal.submissions&reason=not%20valid%20JSON&pageSize=200`,
      );
      const found = [];
      for (const item of listed.status === 200 ? listed.body.items : []) {
        const whole = await ops('GET', `/v1/ops/dead-letters/applications/${item.id}`);
        if (whole.body.value?.includes(marker)) found.push(whole.body);
      }
      return found;
    };
    await waitFor(parkedWithMarker, (found) => found.length > 0, { what: 'the unreadable message parked' });
    const mine = await parkedWithMarker();
    expect(mine).toHaveLength(1);
    const [parked] = mine;
    expect(parked).toMatchObject({
      eventType: null,
      kind: 'rejected',
      reason: 'message is not valid JSON',
      key: marker,
    });

    expect((await ops('POST', `/v1/ops/dead-letters/applications/${parked.id}/discard`, {})).status).toBe(400);
    const discarded = await ops('POST', `/v1/ops/dead-letters/applications/${parked.id}/discard`, {
      reason: 'a broken test message from the portal',
    });
    expect(discarded).toMatchObject({
      status: 200,
      body: { status: 'discarded', settledBy: 'ops', discardReason: 'a broken test message from the portal' },
    });
    expect((await ops('POST', `/v1/ops/dead-letters/applications/${parked.id}/replay`)).status).toBe(409);
    const asDiscarded = await ops('GET', `/v1/ops/dead-letters/applications?status=discarded&topic=portal.submissions`);
    expect(asDiscarded.body.items.map((p: { id: string }) => p.id)).toContain(parked.id);
    expect((await ops('GET', `/v1/ops/dead-letters/nowhere?status=parked`)).status).toBe(400);
  }, 120_000);
});

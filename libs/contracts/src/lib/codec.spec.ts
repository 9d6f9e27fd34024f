import { ContractViolation, createEnvelope, decodeMessage } from './codec';
import { CourseCompleted, TrainerCertified } from './events/upstream.events';
import { MAX_MESSAGE_BYTES } from './envelope';
import { RecertEvents } from './recert-catalog';
import { EventCatalog } from './catalog';
import { Topics } from './topics';

const context = { producer: 'test', occurredAt: new Date('2026-05-01T10:00:00Z') };
const completion = {
  completionId: 'c-1',
  trainerId: 'T-100',
  providerId: 'NASM',
  courseId: 'CES-1',
  completedOn: '2026-04-30',
};

describe('event envelope codec', () => {
  it('builds an envelope keyed by the aggregate, with a fresh correlation chain', () => {
    const envelope = createEnvelope(CourseCompleted, completion, context);
    expect(envelope).toMatchObject({
      type: 'CourseCompleted',
      version: 1,
      key: 'T-100',
      producer: 'test',
      occurredAt: '2026-05-01T10:00:00.000Z',
      causationId: null,
    });
    expect(envelope.correlationId).toBe(envelope.id);
  });

  it('carries correlation and causation ids from the cause', () => {
    const envelope = createEnvelope(CourseCompleted, completion, {
      ...context,
      correlationId: '3f2b8c1e-0000-4000-8000-000000000001',
      causationId: '3f2b8c1e-0000-4000-8000-000000000002',
    });
    expect(envelope.correlationId).toBe('3f2b8c1e-0000-4000-8000-000000000001');
    expect(envelope.causationId).toBe('3f2b8c1e-0000-4000-8000-000000000002');
  });

  it('refuses to produce a payload the contract refuses, naming the field', () => {
    expect(() => createEnvelope(CourseCompleted, { ...completion, completedOn: '2026-02-30' }, context)).toThrow(
      ContractViolation,
    );
    expect(() => createEnvelope(CourseCompleted, { ...completion, completedOn: '2026-02-30' }, context)).toThrow(
      /payload\.completedOn: must be a real calendar date/,
    );
  });

  it('round-trips through JSON and validates on the consuming side', () => {
    const envelope = createEnvelope(
      TrainerCertified,
      { trainerId: 'T-1', credentialId: 'C-1', certifiedOn: '2024-01-10', expiresOn: '2026-01-10', timeZone: 'UTC' },
      context,
    );
    const decoded = decodeMessage(RecertEvents, Topics.examCertifications.name, Buffer.from(JSON.stringify(envelope)));
    expect(decoded.ok).toBe(true);
    if (decoded.ok) expect(decoded.envelope).toEqual(envelope);
  });

  it.each([
    ['not JSON', 'not json{', /not valid JSON/],
    ['no value', null, /no value/],
    ['an array', '[1,2]', /invalid envelope/],
    ['oversized', JSON.stringify({ pad: 'x'.repeat(MAX_MESSAGE_BYTES) }), /limit is 65536/],
  ])('refuses %s with a clear reason', (_label, value, reason) => {
    const decoded = decodeMessage(RecertEvents, Topics.courseCompletions.name, value);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.reason).toMatch(reason);
  });

  it('refuses an unknown type, an unknown version and a type on the wrong topic', () => {
    const envelope = createEnvelope(CourseCompleted, completion, context);
    const decode = (e: object, topic = Topics.courseCompletions.name) =>
      decodeMessage(RecertEvents, topic, JSON.stringify(e));
    expect(decode({ ...envelope, type: 'Nope' })).toMatchObject({ ok: false, reason: 'unknown event type Nope' });
    expect(decode({ ...envelope, version: 7 })).toMatchObject({
      ok: false,
      reason: 'CourseCompleted v7 is not a known version (known: v1)',
    });
    expect(decode(envelope, Topics.cprAedCards.name)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/belongs on learning.course-completions/),
    });
  });

  it('refuses a wrongly typed or hostile payload with every failing field', () => {
    const envelope = createEnvelope(CourseCompleted, completion, context);
    const hostile = {
      ...envelope,
      payload: { ...completion, trainerId: "'; DROP TABLE x;--", completedOn: 20260430, extra: 1 },
    };
    const decoded = decodeMessage(RecertEvents, Topics.courseCompletions.name, JSON.stringify(hostile));
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) {
      expect(decoded.reason).toMatch(/payload\.trainerId/);
      expect(decoded.reason).toMatch(/payload\.completedOn/);
      expect(decoded.reason).toMatch(/extra/);
    }
  });

  it('an event defined twice in one catalog is a programming error', () => {
    expect(() => new EventCatalog([CourseCompleted, CourseCompleted])).toThrow(/defined twice/);
  });
});

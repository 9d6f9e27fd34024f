import { randomUUID } from 'node:crypto';
import { RecertEvents } from './recert-catalog';
import { CourseCompleted } from './events/upstream.events';
import { createEnvelope, decodeMessage } from './codec';
import { findUnstorableText, storableText } from './storable-text';

describe('text PostgreSQL cannot store (issue 7: bad input)', () => {
  it('names where a NUL, an unpaired surrogate or too deep a nesting is', () => {
    expect(findUnstorableText({ a: { b: 'x\u0000' } }, 'payload')).toBe(
      'payload.a.b: must not contain NUL characters or unpaired surrogates',
    );
    expect(findUnstorableText(['\ud800'], 'body')).toMatch(/^body\.0: /);
    expect(findUnstorableText({ 'k\udc00': 1 })).toMatch(/a key must not/);
    expect(findUnstorableText(JSON.parse('['.repeat(10_000) + ']'.repeat(10_000)), 'body')).toBe(
      'body.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0: is nested deeper than 32 levels',
    );
    expect(findUnstorableText({ ok: '😀 fine', n: 1 })).toBeNull();
    expect(storableText('a\u0000b\ud800😀')).toBe('a\uFFFDb\uFFFD😀');
  });

  it('a consumer refuses such text in an otherwise valid event, naming the field; a producer cannot emit it', () => {
    const payload = {
      completionId: 'c-1',
      trainerId: 'T-1',
      providerId: 'P',
      courseId: 'C',
      completedOn: '2026-01-01',
    };
    const envelope = createEnvelope(CourseCompleted, payload, { producer: 'test', occurredAt: new Date(0) });
    const bad = JSON.stringify({ ...envelope, id: randomUUID(), payload: { ...payload, courseTitle: 'a\u0000b' } });
    expect(decodeMessage(RecertEvents, CourseCompleted.topic.name, bad)).toMatchObject({
      ok: false,
      reason: 'CourseCompleted v1: payload.courseTitle: must not contain NUL characters or unpaired surrogates',
    });
    expect(() =>
      createEnvelope(
        CourseCompleted,
        { ...payload, courseTitle: '\ud800' },
        { producer: 'test', occurredAt: new Date(0) },
      ),
    ).toThrow(/payload\.courseTitle: must not contain/);
  });
});

import { RecertEvents } from '@recert/contracts';
import { eventIdFor } from './ingest-upstream-event.handler';
import { eventSlug, upstreamEventBySlug, UPSTREAM_EVENTS } from './upstream-event-routes';

describe('HTTP ingestion routes', () => {
  it('offers exactly the events published to upstream topics, each at its kebab-case name', () => {
    const upstream = RecertEvents.all().filter((d) => d.topic.writer.kind === 'upstream');
    expect(UPSTREAM_EVENTS.map((d) => d.type).sort()).toEqual(upstream.map((d) => d.type).sort());
    expect(upstreamEventBySlug('recertification-application-submitted')?.type).toBe(
      'RecertificationApplicationSubmitted',
    );
    expect(upstreamEventBySlug('cpr-aed-card-issued')?.type).toBe('CprAedCardIssued');
    expect(upstreamEventBySlug('nope')).toBeUndefined();
    expect(new Set(UPSTREAM_EVENTS.map(eventSlug)).size).toBe(UPSTREAM_EVENTS.length);
  });

  it('derives one stable UUID per idempotency key and event type', () => {
    const id = eventIdFor('key-1', 'CourseCompleted');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(eventIdFor('key-1', 'CourseCompleted')).toBe(id);
    expect(eventIdFor('key-2', 'CourseCompleted')).not.toBe(id);
    expect(eventIdFor('key-1', 'TrainerCertified')).not.toBe(id);
  });
});

import { RecertEvents, Topics } from '@recert/contracts';
import { eventIdFor } from './ingest-upstream-event.handler';
import { eventSlug, INGESTED_EVENTS, processorEventBySlug, upstreamEventBySlug } from './upstream-event-routes';

describe('HTTP ingestion routes', () => {
  it("offers exactly the events published to upstream topics but the processor's, each at its kebab-case name (issue 13)", () => {
    const upstream = RecertEvents.all().filter(
      (d) => d.topic.writer.kind === 'upstream' && d.topic !== Topics.processorEvents,
    );
    expect(INGESTED_EVENTS.map((d) => d.type).sort()).toEqual([...new Set(upstream.map((d) => d.type))].sort());
    // Each in its current version.
    for (const d of INGESTED_EVENTS) expect(d.version).toBe(Math.max(...RecertEvents.versionsOf(d.type)));
    expect(upstreamEventBySlug('recertification-application-submitted')?.version).toBe(2);
    expect(upstreamEventBySlug('recertification-application-submitted')?.type).toBe(
      'RecertificationApplicationSubmitted',
    );
    expect(upstreamEventBySlug('cpr-aed-card-issued')?.type).toBe('CprAedCardIssued');
    expect(upstreamEventBySlug('nope')).toBeUndefined();
    expect(new Set(INGESTED_EVENTS.map(eventSlug)).size).toBe(INGESTED_EVENTS.length);
  });

  it("issue 13: names the payment processor's events, which only its signed webhook accepts, and offers none of them", () => {
    for (const slug of [
      'payment-succeeded',
      'payment-failed',
      'payment-refunded',
      'recertify-for-life-membership-purchased',
    ]) {
      expect(upstreamEventBySlug(slug)).toBeUndefined();
      expect(processorEventBySlug(slug)?.topic).toBe(Topics.processorEvents);
    }
    expect(processorEventBySlug('course-completed')).toBeUndefined();
  });

  it('derives one stable UUID per idempotency key and event type', () => {
    const id = eventIdFor('key-1', 'CourseCompleted');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(eventIdFor('key-1', 'CourseCompleted')).toBe(id);
    expect(eventIdFor('key-2', 'CourseCompleted')).not.toBe(id);
    expect(eventIdFor('key-1', 'TrainerCertified')).not.toBe(id);
  });
});

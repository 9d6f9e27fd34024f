import { EventDefinition, PROCESSOR_EVENTS, UPSTREAM_EVENTS } from '@recert/contracts';

/**
 * What upstream systems may send over HTTP: the events they may publish to Kafka (the contracts'
 * UPSTREAM_EVENTS), each at `/v1/events/<kebab-case type>` in its current version (a superseded
 * one stays readable on Kafka for producers not moved yet), but the payment processor's: its facts
 * are accepted only signed, through its webhook (issue 13). The body is the event's payload,
 * validated by the same schema.
 */
export const INGESTED_EVENTS: readonly EventDefinition[] = UPSTREAM_EVENTS.filter(
  (d) =>
    !(PROCESSOR_EVENTS as readonly EventDefinition[]).includes(d) &&
    !UPSTREAM_EVENTS.some((other) => other.type === d.type && other.version > d.version),
);

export function eventSlug(definition: EventDefinition): string {
  return definition.type.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

const bySlug = new Map<string, EventDefinition>(INGESTED_EVENTS.map((d) => [eventSlug(d), d]));
const processorBySlug = new Map<string, EventDefinition>(PROCESSOR_EVENTS.map((d) => [eventSlug(d), d]));

export function upstreamEventBySlug(slug: string): EventDefinition | undefined {
  return bySlug.get(slug);
}

/** A processor event's slug: refused with where it is accepted instead. */
export function processorEventBySlug(slug: string): EventDefinition | undefined {
  return processorBySlug.get(slug);
}

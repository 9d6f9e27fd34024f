import { EventDefinition, UPSTREAM_EVENTS } from '@recert/contracts';

/**
 * What upstream systems may send over HTTP: exactly the events they may publish to Kafka (the
 * contracts' UPSTREAM_EVENTS), each at `/v1/events/<kebab-case type>`. The body is the event's
 * payload, validated by the same schema.
 */
export { UPSTREAM_EVENTS };

export function eventSlug(definition: EventDefinition): string {
  return definition.type.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

const bySlug = new Map<string, EventDefinition>(UPSTREAM_EVENTS.map((d) => [eventSlug(d), d]));

export function upstreamEventBySlug(slug: string): EventDefinition | undefined {
  return bySlug.get(slug);
}

import { ALL_TOPICS, TopicDefinition, UPSTREAM_SYSTEMS, UpstreamSystem } from './topics';

/**
 * The upstream systems as callers: an HTTP caller is registered as one (or several) of the
 * registry's upstream systems and sends only the events of the topic each writes (checked by the
 * gateway), as their Kafka principals may write only that topic (checked by the broker's ACLs).
 */
export const UPSTREAM_SYSTEM_NAMES = Object.keys(UPSTREAM_SYSTEMS) as UpstreamSystem[];

export function isUpstreamSystem(name: string): name is UpstreamSystem {
  return Object.prototype.hasOwnProperty.call(UPSTREAM_SYSTEMS, name);
}

/** The upstream system that writes `topic`, if an upstream system does. */
export function upstreamSystemWriting(topic: TopicDefinition): UpstreamSystem | undefined {
  const registered = ALL_TOPICS.find((t) => t.name === topic.name);
  return registered?.writer.kind === 'upstream' ? registered.writer.system : undefined;
}

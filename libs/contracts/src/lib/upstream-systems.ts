import { Topics, TopicDefinition } from './topics';

/**
 * The upstream systems that publish into Recert, and the topics each may write: a caller is
 * registered as one (or several) of these and sends only the events of its own topics, over
 * HTTP (checked by the gateway) or on Kafka (checked by the broker's ACLs). The learning platform
 * and the approved course providers both report completions.
 */
export const UPSTREAM_SYSTEMS = {
  'exam-system': [Topics.examCertifications],
  'learning-platform': [Topics.courseCompletions],
  'course-provider': [Topics.courseCompletions],
  'provider-registry': [Topics.providerRegistry],
  'cpr-aed-provider': [Topics.cprAedCards],
  'payment-processor': [Topics.processorEvents],
  'document-store': [Topics.auditDocuments],
  'student-portal': [Topics.portalSubmissions],
} as const satisfies Record<string, readonly TopicDefinition[]>;

export type UpstreamSystem = keyof typeof UPSTREAM_SYSTEMS;

export const UPSTREAM_SYSTEM_NAMES = Object.keys(UPSTREAM_SYSTEMS) as UpstreamSystem[];

export function isUpstreamSystem(name: string): name is UpstreamSystem {
  return Object.prototype.hasOwnProperty.call(UPSTREAM_SYSTEMS, name);
}

/** The systems that may publish to `topic` (every upstream topic has at least one). */
export function upstreamSystemsWriting(topic: TopicDefinition): UpstreamSystem[] {
  return UPSTREAM_SYSTEM_NAMES.filter((s) =>
    (UPSTREAM_SYSTEMS[s] as readonly TopicDefinition[]).some((t) => t.name === topic.name),
  );
}

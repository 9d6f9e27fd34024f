import { ALL_TOPICS, SERVICE_NAMES, ServiceName, TopicDefinition, UPSTREAM_SYSTEMS, UpstreamSystem } from './topics';

/**
 * Who may do what on the broker (issue 13, trust boundaries), derived from the topic registry
 * alone. Every caller authenticates as its own principal (SASL/SCRAM: the Kafka user name is the
 * principal's name); the broker denies whatever no ACL allows.
 */

/** A principal that the ACLs name: one per service and one per upstream system. */
export type KafkaPrincipal = ServiceName | UpstreamSystem;

export const KAFKA_PRINCIPALS: readonly KafkaPrincipal[] = [
  ...SERVICE_NAMES,
  ...(Object.keys(UPSTREAM_SYSTEMS) as UpstreamSystem[]),
];

/**
 * The super user: it creates the topics and the ACLs (provisioning), and tests create topics of
 * their own with it. No service or upstream system is given its password.
 */
export const KAFKA_ADMIN = 'admin';

/**
 * The broker's own principals, super users too: `broker` (the inter-broker listener, SCRAM) and
 * `controller` (the controller listener, PLAIN: KRaft controllers cannot check SCRAM, whose
 * credentials live in the metadata log they serve). Only the broker's own configuration holds them.
 */
export const KAFKA_BROKER_PRINCIPALS = ['broker', 'controller'] as const;

/** One ALLOW binding. READ and WRITE imply DESCRIBE, so DESCRIBE is granted only on its own. */
export interface KafkaAcl {
  readonly principal: KafkaPrincipal;
  readonly resource: 'topic' | 'group';
  readonly pattern: 'literal' | 'prefixed';
  readonly name: string;
  readonly operation: 'read' | 'write' | 'describe';
}

/** Who writes a topic, as principals. */
export function writersOf(topic: TopicDefinition): KafkaPrincipal[] {
  switch (topic.writer.kind) {
    // The gateway takes upstream events over HTTP too (POST /v1/events/*) and publishes them to
    // the same topic, so it writes those topics beside the system that owns each; the payment
    // processor's facts arrive only signed (its webhook, to payments) or from its own principal.
    case 'upstream':
      return topic.writer.system === 'payment-processor' ? [topic.writer.system] : [topic.writer.system, 'gateway'];
    case 'service':
      return [topic.writer.service];
    case 'consumers':
      return SERVICE_NAMES.filter((s) => consumesAnything(s));
  }
}

function consumesAnything(service: ServiceName): boolean {
  return ALL_TOPICS.some((t) => t.consumers.includes(service));
}

/**
 * Every ACL of the system, for services whose consumer groups are `<groupPrefix><service>`
 * (KAFKA_GROUP_PREFIX; a test run has a prefix of its own, hence one set of group ACLs per prefix).
 * Groups are PREFIXED patterns: a service may also run groups named after its own (a replay under
 * `<group>-replay`), never another service's. Idempotent producers need nothing more: since Kafka
 * 2.8 (KIP-679) WRITE on a topic authorises them, and IDEMPOTENT_WRITE on the cluster is not granted.
 */
export function kafkaAcls(groupPrefix: string): KafkaAcl[] {
  const acls: KafkaAcl[] = [];
  for (const topic of ALL_TOPICS) {
    for (const principal of writersOf(topic))
      acls.push({ principal, resource: 'topic', pattern: 'literal', name: topic.name, operation: 'write' });
    for (const principal of topic.consumers)
      acls.push({ principal, resource: 'topic', pattern: 'literal', name: topic.name, operation: 'read' });
  }
  for (const service of SERVICE_NAMES) {
    acls.push({
      principal: service,
      resource: 'group',
      pattern: 'prefixed',
      name: `${groupPrefix}${service}`,
      // A service that consumes nothing (the gateway) still has its lag gauge ask what its group
      // committed: it may describe the group, not join it.
      operation: consumesAnything(service) ? 'read' : 'describe',
    });
  }
  return acls;
}

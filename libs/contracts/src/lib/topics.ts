/**
 * The topic registry: every Kafka topic of the system, who writes it, who reads it, and its
 * partition count. Topics are created explicitly from this list (auto-creation is off on the
 * broker), and the broker's ACLs are derived from it (kafka-access.ts): a principal may write
 * only what the registry says it writes and read only what it consumes.
 * Partition counts are sized for 1.4 M trainers at a few events each per cycle: 12 partitions
 * lets a consumer group scale to 12 replicas per service.
 */
export type ServiceName = 'applications' | 'ceu-verification' | 'petitions' | 'payments' | 'audits' | 'gateway';

export const SERVICE_NAMES: readonly ServiceName[] = [
  'applications',
  'ceu-verification',
  'petitions',
  'payments',
  'audits',
  'gateway',
];

/** The upstream systems (DOMAIN.md "Actors"): each one writes exactly one topic, as its own Kafka principal. */
export const UPSTREAM_SYSTEMS = {
  'exam-system': 'The exam/certification system.',
  'learning-platform': 'The learning platform and the approved course providers.',
  'provider-registry': 'The approved-provider and course registry (R5).',
  'cpr-aed-providers': 'The CPR/AED providers.',
  'payment-processor': 'The payment processor.',
  'document-store': 'The document store.',
  'student-portal': 'The student portal, where trainers submit applications and petitions.',
} as const;
export type UpstreamSystem = keyof typeof UPSTREAM_SYSTEMS;

/** Who writes a topic. */
export type TopicWriter =
  | { readonly kind: 'upstream'; readonly system: UpstreamSystem }
  /** One of our services, through its outbox. */
  | { readonly kind: 'service'; readonly service: ServiceName }
  /** Every service that consumes: each parks there what it could not process. */
  | { readonly kind: 'consumers' };

export interface TopicDefinition {
  readonly name: string;
  readonly partitions: number;
  readonly description: string;
  readonly writer: TopicWriter;
  /** The services that consume it: exactly the topics of each service's message controllers. */
  readonly consumers: readonly ServiceName[];
}

const upstream = (system: UpstreamSystem): TopicWriter => ({ kind: 'upstream', system });
const service = (name: ServiceName): TopicWriter => ({ kind: 'service', service: name });

function topic(
  name: string,
  writer: TopicWriter,
  consumers: readonly ServiceName[],
  description: string,
  partitions = 12,
): TopicDefinition {
  return { name, partitions, writer, consumers, description };
}

export const Topics = {
  // Upstream systems publish here (directly, or over HTTP through the gateway).
  examCertifications: topic(
    'exam.certifications',
    upstream('exam-system'),
    ['applications'],
    'The exam/certification system: a trainer was certified.',
  ),
  courseCompletions: topic(
    'learning.course-completions',
    upstream('learning-platform'),
    ['ceu-verification'],
    'Learning platform and approved providers: a course was completed.',
  ),
  providerRegistry: topic(
    'learning.provider-registry',
    upstream('provider-registry'),
    ['ceu-verification'],
    'Approved-provider/course registry updates (R5).',
    3,
  ),
  cprAedCards: topic(
    'cpr.cards',
    upstream('cpr-aed-providers'),
    ['ceu-verification'],
    'CPR/AED providers: a CPR/AED card was issued.',
  ),
  processorEvents: topic(
    'payments.processor-events',
    upstream('payment-processor'),
    ['payments'],
    'Payment processor: a payment succeeded, failed or was refunded; a Recertify for Life membership was bought.',
  ),
  auditDocuments: topic(
    'documents.audit-uploads',
    upstream('document-store'),
    ['audits'],
    'Document store: an audit document was uploaded.',
  ),
  portalSubmissions: topic(
    'portal.submissions',
    upstream('student-portal'),
    ['applications', 'petitions'],
    'Student portal: a trainer submitted an application or a petition.',
  ),
  // Our services publish here, through their outboxes.
  applicationEvents: topic(
    'recert.applications',
    service('applications'),
    ['ceu-verification', 'payments', 'audits'],
    'Credentials, cycles, applications and decisions.',
  ),
  ceuEvents: topic(
    'recert.ceu',
    service('ceu-verification'),
    ['applications'],
    'CEU ledger progress and requirement status.',
  ),
  ceuWork: topic(
    'recert.ceu-work',
    service('ceu-verification'),
    ['ceu-verification'],
    "CEU verification's own work items: a registry change fanned out page by page, one ledger recompute per trainer.",
  ),
  petitionEvents: topic(
    'recert.petitions',
    service('petitions'),
    ['ceu-verification', 'payments'],
    'Petition lifecycle.',
  ),
  paymentEvents: topic(
    'recert.payments',
    service('payments'),
    ['applications', 'petitions'],
    'Payable items and their settlement.',
  ),
  auditEvents: topic('recert.audits', service('audits'), ['applications'], 'Audit draws, documentation and outcomes.'),
  // Where consumers park what they could not process, with the reason. No service consumes it
  // (each service's inbox records what it parked: GET /dead-letters).
  deadLetter: topic(
    'recert.dead-letter',
    { kind: 'consumers' },
    [],
    'Messages a consumer refused or failed on, with the original and the reason.',
    3,
  ),
} as const;

const DAY_MS = 86_400_000;

/**
 * How long Kafka keeps the messages of every registry topic: the provisioner sets both on each
 * topic, so the window does not depend on a broker's defaults. Kafka deletes whole segments, so a
 * message may still be read until retention.ms + segment.ms after it was written.
 */
export const TOPIC_RETENTION = { retentionMs: 7 * DAY_MS, segmentMs: DAY_MS } as const;

/**
 * How late Kafka can deliver a message again (a group's offsets lost or reset replays what the
 * topic still holds): the inbox must remember a delivery longer than this (INBOX_RETENTION_DAYS).
 */
export const REDELIVERY_WINDOW_MS = TOPIC_RETENTION.retentionMs + TOPIC_RETENTION.segmentMs;

export type TopicKey = keyof typeof Topics;
export type TopicName = (typeof Topics)[TopicKey]['name'];

export const ALL_TOPICS: readonly TopicDefinition[] = Object.values(Topics);

export function topicByName(name: string): TopicDefinition | undefined {
  return ALL_TOPICS.find((t) => t.name === name);
}

/**
 * The topic registry: every Kafka topic of the system, who writes it, and its partition count.
 * Topics are created explicitly from this list (auto-creation is off on the broker).
 * Partition counts are sized for 1.4 M trainers at a few events each per cycle: 12 partitions
 * lets a consumer group scale to 12 replicas per service.
 */
export interface TopicDefinition {
  readonly name: string;
  readonly partitions: number;
  readonly description: string;
  /** Who publishes: an upstream system, or one of our services (through its outbox). */
  readonly producer: 'upstream' | ServiceName;
}

export type ServiceName = 'applications' | 'ceu-verification' | 'petitions' | 'payments' | 'audits' | 'gateway';

function topic(
  name: string,
  producer: TopicDefinition['producer'],
  description: string,
  partitions = 12,
): TopicDefinition {
  return { name, partitions, producer, description };
}

export const Topics = {
  // Upstream systems publish here.
  examCertifications: topic(
    'exam.certifications',
    'upstream',
    'The exam/certification system: a trainer was certified.',
  ),
  courseCompletions: topic(
    'learning.course-completions',
    'upstream',
    'Learning platform and approved providers: a course was completed.',
  ),
  providerRegistry: topic(
    'learning.provider-registry',
    'upstream',
    'Approved-provider/course registry updates (R5).',
    3,
  ),
  cprAedCards: topic('cpr.cards', 'upstream', 'CPR/AED providers: a CPR/AED card was issued.'),
  processorEvents: topic(
    'payments.processor-events',
    'upstream',
    'Payment processor: a payment succeeded, failed or was refunded; a Recertify for Life membership was bought.',
  ),
  auditDocuments: topic('documents.audit-uploads', 'upstream', 'Document store: an audit document was uploaded.'),
  portalSubmissions: topic(
    'portal.submissions',
    'upstream',
    'Student portal: a trainer submitted an application or a petition.',
  ),
  // Our services publish here, through their outboxes.
  applicationEvents: topic('recert.applications', 'applications', 'Credentials, cycles, applications and decisions.'),
  ceuEvents: topic('recert.ceu', 'ceu-verification', 'CEU ledger progress and requirement status.'),
  petitionEvents: topic('recert.petitions', 'petitions', 'Petition lifecycle.'),
  paymentEvents: topic('recert.payments', 'payments', 'Payable items and their settlement.'),
  auditEvents: topic('recert.audits', 'audits', 'Audit draws, documentation and outcomes.'),
  // Where consumers park what they could not process, with the reason.
  deadLetter: topic(
    'recert.dead-letter',
    'upstream',
    'Messages a consumer refused or failed on, with the original and the reason.',
    3,
  ),
} as const;

export type TopicKey = keyof typeof Topics;
export type TopicName = (typeof Topics)[TopicKey]['name'];

export const ALL_TOPICS: readonly TopicDefinition[] = Object.values(Topics);

export function topicByName(name: string): TopicDefinition | undefined {
  return ALL_TOPICS.find((t) => t.name === name);
}

import {
  AuditDocumentUploaded,
  ApprovedCourseRegistered,
  CoursePetitionSubmitted,
  CourseCompleted,
  CprAedCardIssued,
  EventDefinition,
  PaymentFailed,
  PaymentRefunded,
  PaymentSucceeded,
  RecertificationApplicationSubmitted,
  TrainerCertified,
} from '@recert/contracts';

/**
 * What upstream systems may send over HTTP: exactly the events they may publish to Kafka, each at
 * `/v1/events/<kebab-case type>`. The body is the event's payload, validated by the same schema.
 */
export const UPSTREAM_EVENTS: readonly EventDefinition[] = [
  TrainerCertified,
  CourseCompleted,
  ApprovedCourseRegistered,
  CprAedCardIssued,
  PaymentSucceeded,
  PaymentFailed,
  PaymentRefunded,
  AuditDocumentUploaded,
  RecertificationApplicationSubmitted,
  CoursePetitionSubmitted,
];

export function eventSlug(definition: EventDefinition): string {
  return definition.type.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

const bySlug = new Map(UPSTREAM_EVENTS.map((d) => [eventSlug(d), d]));

export function upstreamEventBySlug(slug: string): EventDefinition | undefined {
  return bySlug.get(slug);
}

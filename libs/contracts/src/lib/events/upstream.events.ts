import { z } from 'zod';
import { defineEvent } from '../catalog';
import { CalendarDateString, Cents, CeuHundredths, ExternalId, TrainerId } from '../primitives';
import { Topics } from '../topics';

/** Events that upstream systems publish. Their shapes are our public ingestion contract. */

export const TrainerCertified = defineEvent({
  type: 'TrainerCertified',
  version: 1,
  topic: Topics.examCertifications,
  description: 'The exam system certified a trainer (or recorded an existing credential): the first cycle (R1).',
  schema: z.strictObject({
    trainerId: TrainerId,
    credentialId: ExternalId,
    certifiedOn: CalendarDateString,
    expiresOn: CalendarDateString,
    timeZone: z.string().min(1).max(64).default('UTC'),
  }),
  key: (p) => p.trainerId,
});

export const CourseCompleted = defineEvent({
  type: 'CourseCompleted',
  version: 1,
  topic: Topics.courseCompletions,
  description:
    'A trainer completed a course. The CEU value comes from the approved-provider registry, not from this event (R5).',
  schema: z.strictObject({
    completionId: ExternalId,
    trainerId: TrainerId,
    providerId: ExternalId,
    courseId: ExternalId,
    completedOn: CalendarDateString,
    courseTitle: z.string().max(300).optional(),
  }),
  key: (p) => p.trainerId,
});

export const ApprovedCourseRegistered = defineEvent({
  type: 'ApprovedCourseRegistered',
  version: 1,
  topic: Topics.providerRegistry,
  description: 'A provider course approved by NASM for a validity period, with its CEU value (R5).',
  schema: z
    .strictObject({
      providerId: ExternalId,
      courseId: ExternalId,
      title: z.string().min(1).max(300),
      ceuHundredths: CeuHundredths.min(1),
      approvedFrom: CalendarDateString,
      approvedUntil: CalendarDateString,
      nasmOwn: z.boolean().default(false),
    })
    .refine((p) => p.approvedFrom <= p.approvedUntil, {
      message: 'approvedFrom must not be after approvedUntil',
      path: ['approvedUntil'],
    }),
  key: (p) => `${p.providerId}/${p.courseId}`,
});

export const CprAedCardIssued = defineEvent({
  type: 'CprAedCardIssued',
  version: 1,
  topic: Topics.cprAedCards,
  description: 'A CPR/AED provider issued a card (R7).',
  schema: z
    .strictObject({
      cardId: ExternalId,
      trainerId: TrainerId,
      providerId: ExternalId,
      issuedOn: CalendarDateString,
      expiresOn: CalendarDateString,
      includesAdultCpr: z.boolean(),
      includesAed: z.boolean(),
      handsOnSkillsAssessment: z.boolean(),
    })
    .refine((p) => p.issuedOn <= p.expiresOn, { message: 'issuedOn must not be after expiresOn', path: ['expiresOn'] }),
  key: (p) => p.trainerId,
});

const processorEvent = {
  processorEventId: ExternalId,
  paymentId: ExternalId,
  /** The payable item's idempotency key, as given to the processor when the charge was created. */
  payableId: ExternalId,
  amountCents: Cents,
  occurredAt: z.iso.datetime({ offset: true }),
};

export const PaymentSucceeded = defineEvent({
  type: 'PaymentSucceeded',
  version: 1,
  topic: Topics.processorEvents,
  description: 'The payment processor captured a payment for a payable item.',
  schema: z.strictObject(processorEvent),
  key: (p) => p.payableId,
});

export const PaymentFailed = defineEvent({
  type: 'PaymentFailed',
  version: 1,
  topic: Topics.processorEvents,
  description: 'The payment processor declined a payment; the item stays payable and may be retried.',
  schema: z.strictObject({ ...processorEvent, reason: z.string().min(1).max(300) }),
  key: (p) => p.payableId,
});

export const PaymentRefunded = defineEvent({
  type: 'PaymentRefunded',
  version: 1,
  topic: Topics.processorEvents,
  description: 'The payment processor refunded a payment (never accepted for a petition fee, R6).',
  schema: z.strictObject(processorEvent),
  key: (p) => p.payableId,
});

export const AuditDocumentUploaded = defineEvent({
  type: 'AuditDocumentUploaded',
  version: 1,
  topic: Topics.auditDocuments,
  description: 'The document store received a supporting document for an audit (R11): metadata and a reference.',
  schema: z.strictObject({
    documentId: ExternalId,
    trainerId: TrainerId,
    applicationId: z.uuid(),
    kind: z.enum(['course-certificate', 'cpr-aed-card-front', 'cpr-aed-card-back']),
    /** For a course certificate: the completion it proves. */
    completionId: ExternalId.optional(),
    storageRef: z.string().min(1).max(500),
    uploadedAt: z.iso.datetime({ offset: true }),
  }),
  key: (p) => p.trainerId,
});

export const RecertifyForLifeMembershipPurchased = defineEvent({
  type: 'RecertifyForLifeMembershipPurchased',
  version: 1,
  topic: Topics.processorEvents,
  description:
    'The payment processor captured the payment of a Recertify for Life membership: from then on the trainer owes no recertification fee (CEUs and CPR/AED are still required). Recorded by payments, which owns memberships.',
  schema: z.strictObject({
    processorEventId: ExternalId,
    membershipId: ExternalId,
    trainerId: TrainerId,
    paymentId: ExternalId,
    amountCents: Cents,
    /** When the processor captured the payment: an application received after it is a member's. */
    purchasedAt: z.iso.datetime({ offset: true }),
  }),
  key: (p) => p.trainerId,
});

const applicationSubmission = {
  /** Chosen by the portal, so a resubmitted request is recognised as the same application. */
  applicationId: z.uuid(),
  trainerId: TrainerId,
  /** Which credential to recertify; may be left out while the trainer holds one that is not lapsed. */
  credentialId: ExternalId.optional(),
  /** The portal's own time: kept as its claim. "Received" is the system's instant (R9, R10). */
  submittedAt: z.iso.datetime({ offset: true }),
};

/**
 * The first version, still read from the topic for portals that have not moved to v2. Its
 * `recertifyForLife` flag is accepted and ignored: Recertify for Life is a membership payments
 * records from the processor, never a claim an application makes for itself (issue 13).
 */
export const RecertificationApplicationSubmittedV1 = defineEvent({
  type: 'RecertificationApplicationSubmitted',
  version: 1,
  topic: Topics.portalSubmissions,
  description:
    'A trainer submitted a recertification application through the student portal. Superseded by v2: `recertifyForLife` is ignored (membership is a fact payments records).',
  schema: z.strictObject({ ...applicationSubmission, recertifyForLife: z.boolean().optional() }),
  key: (p) => p.trainerId,
});

export const RecertificationApplicationSubmitted = defineEvent({
  type: 'RecertificationApplicationSubmitted',
  version: 2,
  topic: Topics.portalSubmissions,
  description:
    'A trainer submitted a recertification application through the student portal. Nothing in it sets the fee: whether the trainer is a Recertify for Life member is the membership payments recorded before the receipt (R10).',
  schema: z.strictObject(applicationSubmission),
  key: (p) => p.trainerId,
});

export const CoursePetitionSubmitted = defineEvent({
  type: 'CoursePetitionSubmitted',
  version: 1,
  topic: Topics.portalSubmissions,
  description: 'A trainer petitioned a course or event that is not pre-approved (R6).',
  schema: z.strictObject({
    petitionId: z.uuid(),
    trainerId: TrainerId,
    courseTitle: z.string().min(1).max(300),
    providerName: z.string().min(1).max(300),
    completedOn: CalendarDateString,
    /** The trainer's claim, reviewed by staff; at most one decimal (R3). */
    contactHours: z.string().regex(/^\d{1,4}(\.\d)?$/, 'must be hours with at most one decimal, e.g. "1.5"'),
    certificateRef: z.string().min(1).max(500),
    /**
     * The learning platform's completion id, when the trainer petitions a completion it reported
     * (one the registry does not credit), so the course counts once (R4).
     */
    completionId: ExternalId.optional(),
  }),
  key: (p) => p.trainerId,
});

export const CoursePetitionWithdrawn = defineEvent({
  type: 'CoursePetitionWithdrawn',
  version: 1,
  topic: Topics.portalSubmissions,
  description:
    'A trainer withdrew a petition before its decision (R6): its open fee is no longer owed; a paid fee is kept.',
  schema: z.strictObject({
    petitionId: z.uuid(),
    trainerId: TrainerId,
    withdrawnAt: z.iso.datetime({ offset: true }),
    reason: z.string().trim().min(1).max(1000).optional(),
  }),
  key: (p) => p.trainerId,
});

/**
 * Money facts only the payment processor may state, payments and memberships (issue 13): they
 * arrive signed through its webhook (payments verifies them) or on its topic from its own
 * principal, never through the gateway's ingestion, where any upstream caller could claim a fee
 * was paid or waived.
 */
export const PROCESSOR_EVENTS = [
  PaymentSucceeded,
  PaymentFailed,
  PaymentRefunded,
  RecertifyForLifeMembershipPurchased,
] as const;

export const UPSTREAM_EVENTS = [
  TrainerCertified,
  CourseCompleted,
  ApprovedCourseRegistered,
  CprAedCardIssued,
  PaymentSucceeded,
  PaymentFailed,
  PaymentRefunded,
  RecertifyForLifeMembershipPurchased,
  AuditDocumentUploaded,
  RecertificationApplicationSubmittedV1,
  RecertificationApplicationSubmitted,
  CoursePetitionSubmitted,
  CoursePetitionWithdrawn,
] as const;

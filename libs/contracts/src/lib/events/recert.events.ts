import { z } from 'zod';
import { defineEvent } from '../catalog';
import { CalendarDateString, Cents, CeuHundredths, ExternalId, TrainerId } from '../primitives';
import { Topics } from '../topics';

/** Events our own services publish (through their outboxes) for each other. */

const CprAedCardRecord = z.strictObject({
  cardId: ExternalId,
  issuedOn: CalendarDateString,
  expiresOn: CalendarDateString,
  includesAdultCpr: z.boolean(),
  includesAed: z.boolean(),
  handsOnSkillsAssessment: z.boolean(),
});

const CountedCredit = z.strictObject({
  source: z.enum(['approved-course', 'petition']),
  id: z.string().min(1).max(200),
  ceuHundredths: CeuHundredths,
  completedOn: CalendarDateString,
});

/** A completion or petition that does not count toward the cycle, and why (R4–R6). */
const NotCountedCredit = z.strictObject({
  id: z.string().min(1).max(200),
  reason: z.enum([
    'duplicate',
    'before-cycle',
    'after-late-window',
    'not-approved-on-completion-date',
    'used-by-earlier-cycle',
  ]),
  explanation: z.string().max(1000),
});

const RuleVerdict = z.strictObject({
  rule: z.string(),
  verdict: z.enum(['passed', 'failed', 'pending']),
  reason: z.string(),
  inputs: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});

// applications ------------------------------------------------------------------------------

export const CycleStarted = defineEvent({
  type: 'CycleStarted',
  version: 1,
  topic: Topics.applicationEvents,
  description: 'A credential cycle began: at certification, or on approval of a recertification (R1).',
  schema: z.strictObject({
    trainerId: TrainerId,
    credentialId: ExternalId,
    startsOn: CalendarDateString,
    expiresOn: CalendarDateString,
    timeZone: z.string(),
  }),
  key: (p) => p.trainerId,
});

export const ApplicationReceived = defineEvent({
  type: 'ApplicationReceived',
  version: 1,
  topic: Topics.applicationEvents,
  description:
    'The system took an application in, at an instant it vouches for (R9, R10: "received"). The CEU service answers with the ledger as it stood then (LedgerAtReceipt), and the application is judged on it.',
  schema: z.strictObject({
    applicationId: z.uuid(),
    trainerId: TrainerId,
    credentialId: ExternalId,
    cycleStartsOn: CalendarDateString,
    cycleExpiresOn: CalendarDateString,
    receivedAt: z.iso.datetime({ offset: true }),
    receivedOn: CalendarDateString,
    timeZone: z.string().min(1).max(64),
  }),
  key: (p) => p.trainerId,
});

const applicationSubmitted = {
  applicationId: z.uuid(),
  trainerId: TrainerId,
  /** The credential being recertified: a trainer may hold several, each with its own cycles. */
  credentialId: ExternalId,
  /** The credential's time zone: every date of this application (audits included) is in it. */
  timeZone: z.string().min(1).max(64),
  cycleExpiresOn: CalendarDateString,
  receivedOn: CalendarDateString,
  /** What the audit asks a certificate for (R11). */
  countedCreditIds: z.array(z.string()),
};

/** A Recertify for Life membership, as payments recorded it from the processor. */
const RecertifyForLifeMembership = z.strictObject({
  membershipId: ExternalId,
  purchasedAt: z.iso.datetime({ offset: true }),
});

/** The first version, still read from the topic: written before Recertify for Life was a membership. */
export const ApplicationSubmittedV1 = defineEvent({
  type: 'ApplicationSubmitted',
  version: 1,
  topic: Topics.applicationEvents,
  description:
    'An application was accepted for processing: within the window (R9), its fee fixed at receipt (R10). Superseded by v2.',
  schema: z.strictObject({
    ...applicationSubmitted,
    fee: z.strictObject({
      tier: z.enum(['standard', 'late', 'additional']),
      lines: z.array(z.strictObject({ kind: z.enum(['standard', 'late', 'additional']), amountCents: Cents })),
      totalCents: Cents,
    }),
  }),
  key: (p) => p.trainerId,
});

export const ApplicationSubmitted = defineEvent({
  type: 'ApplicationSubmitted',
  version: 2,
  topic: Topics.applicationEvents,
  description:
    'An application was accepted for processing: within the window (R9), its fee fixed at receipt (R10) by the day received and the membership payments recorded by then (a Recertify for Life member owes a $0 line naming it).',
  schema: z.strictObject({
    ...applicationSubmitted,
    fee: z.strictObject({
      tier: z.enum(['standard', 'late', 'additional']),
      lines: z.array(
        z.strictObject({
          kind: z.enum(['standard', 'late', 'additional', 'recertify-for-life']),
          amountCents: Cents,
        }),
      ),
      totalCents: Cents,
      /** The membership that waived the fee, if one did. */
      waivedBy: RecertifyForLifeMembership.nullable().default(null),
    }),
  }),
  key: (p) => p.trainerId,
});

export const ApplicationRefused = defineEvent({
  type: 'ApplicationRefused',
  version: 1,
  topic: Topics.applicationEvents,
  description:
    'An application was refused on receipt (outside the window, requirements not met, or one already open), rule by rule as a decision is (R12).',
  schema: z.strictObject({
    applicationId: z.uuid(),
    trainerId: TrainerId,
    credentialId: ExternalId,
    cycleExpiresOn: CalendarDateString,
    receivedOn: CalendarDateString,
    reasons: z.array(z.string()).min(1),
    failedRules: z.array(z.string()).min(1),
    verdicts: z.array(RuleVerdict),
  }),
  key: (p) => p.trainerId,
});

export const ApplicationDecided = defineEvent({
  type: 'ApplicationDecided',
  version: 1,
  topic: Topics.applicationEvents,
  description: 'An application was approved or denied, rule by rule (R12).',
  schema: z.strictObject({
    applicationId: z.uuid(),
    trainerId: TrainerId,
    credentialId: ExternalId,
    cycleExpiresOn: CalendarDateString,
    outcome: z.enum(['approved', 'denied']),
    decidedOn: CalendarDateString,
    /** "Credits are used once" (R4): what an approval used; they never count toward another cycle. */
    consumedCreditIds: z.array(z.string().min(1).max(200)),
    failedRules: z.array(z.string()),
    verdicts: z.array(RuleVerdict),
    advisory: z.enum(['obtain-hands-on-assessment']).nullable(),
  }),
  key: (p) => p.trainerId,
});

// ceu-verification --------------------------------------------------------------------------

export const CeuLedgerChanged = defineEvent({
  type: 'CeuLedgerChanged',
  version: 1,
  topic: Topics.ceuEvents,
  description:
    "A credential's CEU ledger for its current cycle changed: what counts (R2–R6) and the CPR/AED cards on record (R7).",
  schema: z.strictObject({
    trainerId: TrainerId,
    credentialId: ExternalId,
    cycleExpiresOn: CalendarDateString,
    /** Increases with every change of this trainer's ledger, so a consumer keeps only the newest. */
    revision: z.number().int().positive(),
    totalCeuHundredths: CeuHundredths,
    counted: z.array(CountedCredit),
    cprAedCards: z.array(CprAedCardRecord),
  }),
  key: (p) => p.trainerId,
});

/** How many trainers one CourseApprovalFanOut page hands out: the bound of its transaction. */
export const COURSE_APPROVAL_PAGE_SIZE = 500;

export const CourseApprovalFanOut = defineEvent({
  type: 'CourseApprovalFanOut',
  version: 1,
  topic: Topics.ceuWork,
  description: `A registry change of a course (R5), to be handed to the trainers who completed it: the page after \`afterTrainerId\` (from the first when null), at most ${COURSE_APPROVAL_PAGE_SIZE} trainers in trainer id order, each as a RecomputeTrainerLedger, then the next page.`,
  schema: z.strictObject({
    providerId: ExternalId,
    courseId: ExternalId,
    afterTrainerId: TrainerId.nullable(),
  }),
  key: (p) => `${p.providerId}/${p.courseId}`,
});

export const RecomputeTrainerLedger = defineEvent({
  type: 'RecomputeTrainerLedger',
  version: 1,
  topic: Topics.ceuWork,
  description:
    "A trainer's ledger to recompute because the registry changed a course the trainer completed (R5); keyed by trainer, in the trainer's order.",
  schema: z.strictObject({
    trainerId: TrainerId,
    providerId: ExternalId,
    courseId: ExternalId,
  }),
  key: (p) => p.trainerId,
});

export const LedgerAtReceipt = defineEvent({
  type: 'LedgerAtReceipt',
  version: 1,
  topic: Topics.ceuEvents,
  description:
    'The CEU ledger of the application\'s cycle with every completion, card and petition credit the system recorded before its receipt (R2–R7, "A decision waits for the facts"); the application is judged on it.',
  schema: z.strictObject({
    applicationId: z.uuid(),
    trainerId: TrainerId,
    credentialId: ExternalId,
    cycleExpiresOn: CalendarDateString,
    totalCeuHundredths: CeuHundredths,
    counted: z.array(CountedCredit),
    notCounted: z.array(NotCountedCredit),
    cprAedCards: z.array(CprAedCardRecord),
  }),
  key: (p) => p.trainerId,
});

// payments ----------------------------------------------------------------------------------

const PayablePurpose = z.enum(['application-fee', 'petition-fee']);
const payable = {
  payableId: ExternalId,
  purpose: PayablePurpose,
  referenceId: z.string().min(1).max(200),
  trainerId: TrainerId,
  amountCents: Cents,
};

export const PayableSettled = defineEvent({
  type: 'PayableSettled',
  version: 1,
  topic: Topics.paymentEvents,
  description: 'A payable item (a fee) was paid in full, once.',
  schema: z.strictObject({ ...payable, paymentId: ExternalId }),
  key: (p) => p.trainerId,
});

export const PayableRefunded = defineEvent({
  type: 'PayableRefunded',
  version: 1,
  topic: Topics.paymentEvents,
  description:
    'The payment that settled an application fee was refunded by the processor: the money went back, the fee is unpaid again (a petition fee refund is only flagged to ops, R6).',
  schema: z.strictObject({
    ...payable,
    /** The refunded payment (the one that had settled the item). */
    paymentId: ExternalId.optional(),
    /** Whether the item is open again (owed); false when what it paid for had ended. */
    reopened: z.boolean().default(true),
  }),
  key: (p) => p.trainerId,
});

export const MembershipAtReceipt = defineEvent({
  type: 'MembershipAtReceipt',
  version: 1,
  topic: Topics.paymentEvents,
  description:
    "Payments' answer to an application's receipt: the trainer's Recertify for Life membership bought at or before the instant received, if any, with every membership the processor had sent by then applied. The fee is fixed on it (R10).",
  schema: z.strictObject({
    applicationId: z.uuid(),
    trainerId: TrainerId,
    receivedAt: z.iso.datetime({ offset: true }),
    recertifyForLife: RecertifyForLifeMembership.nullable(),
  }),
  key: (p) => p.trainerId,
});

// audits ------------------------------------------------------------------------------------

export const AuditDrawn = defineEvent({
  type: 'AuditDrawn',
  version: 1,
  topic: Topics.auditEvents,
  description: 'The reproducible audit draw for an application (R11), with its recorded inputs.',
  schema: z.strictObject({
    applicationId: z.uuid(),
    trainerId: TrainerId,
    seed: z.string(),
    value: z.number().int().nonnegative(),
    ratePpm: z.number().int().nonnegative(),
    selected: z.boolean(),
    drawnOn: CalendarDateString,
    /** The last day to submit documents, when selected. */
    documentationDueOn: CalendarDateString.nullable(),
    /** The credential's time zone, in which the audit's dates are (R11). */
    timeZone: z.string().min(1).max(64).default('UTC'),
    /** Selected whatever the draw: the trainer failed the audit of this cycle before (R11). */
    forced: z.boolean().default(false),
    forcedReason: z.string().max(500).nullable().default(null),
  }),
  key: (p) => p.trainerId,
});

export const AuditCompleted = defineEvent({
  type: 'AuditCompleted',
  version: 1,
  topic: Topics.auditEvents,
  description:
    'A reviewer passed an audit, or a reviewer or its deadline failed it, naming each document missing or rejected (R11).',
  schema: z.strictObject({
    applicationId: z.uuid(),
    trainerId: TrainerId,
    outcome: z.enum(['passed', 'failed']),
    completedOn: CalendarDateString,
    missingDocuments: z.array(z.strictObject({ kind: z.string(), proves: z.string().optional() })),
    /** Documents a reviewer rejected, with the reason, that no accepted one replaced. */
    rejectedDocuments: z
      .array(
        z.strictObject({
          documentId: z.string(),
          kind: z.string(),
          proves: z.string().optional(),
          reason: z.string(),
        }),
      )
      .default([]),
    /** Who decided: the reviewer's name, or 'deadline'. */
    decidedBy: z.string().min(1).max(200).default('deadline'),
    /** The reviewer's reason (a pass may give none), or what the deadline found. */
    reason: z.string().max(2000).nullable().default(null),
  }),
  key: (p) => p.trainerId,
});

// petitions ---------------------------------------------------------------------------------

export const PetitionOpened = defineEvent({
  type: 'PetitionOpened',
  version: 1,
  topic: Topics.petitionEvents,
  description: 'A petition for a course that is not pre-approved was submitted; its $25 fee is due (R6).',
  schema: z.strictObject({
    petitionId: z.uuid(),
    trainerId: TrainerId,
    feeCents: Cents,
  }),
  key: (p) => p.trainerId,
});

export const PetitionApproved = defineEvent({
  type: 'PetitionApproved',
  version: 1,
  topic: Topics.petitionEvents,
  description: 'Staff approved a petition: its CEUs count like a pre-approved course (R6).',
  schema: z.strictObject({
    petitionId: z.uuid(),
    trainerId: TrainerId,
    ceuHundredths: CeuHundredths.min(1),
    completedOn: CalendarDateString,
    /** The learning platform's completion the petition credits, if it named one: one course counts once (R4). */
    completionId: ExternalId.nullable().default(null),
    courseTitle: z.string().min(1).max(300).optional(),
  }),
  key: (p) => p.trainerId,
});

export const PetitionClosed = defineEvent({
  type: 'PetitionClosed',
  version: 1,
  topic: Topics.petitionEvents,
  description:
    'A petition ended without credit: withdrawn by the trainer or denied by staff (R6). Its open fee is no longer owed; a paid fee is kept.',
  schema: z.strictObject({
    petitionId: z.uuid(),
    trainerId: TrainerId,
    outcome: z.enum(['withdrawn', 'denied']),
    reason: z.string().max(1000).nullable(),
    closedAt: z.iso.datetime({ offset: true }),
  }),
  key: (p) => p.trainerId,
});

/** The deadlines of a cycle, as the applications service enforces them (DOMAIN.md, R4, R8–R10). */
const cycleDeadline = {
  trainerId: TrainerId,
  credentialId: ExternalId,
  cycleExpiresOn: CalendarDateString,
};

export const RecertificationReminderDue = defineEvent({
  type: 'RecertificationReminderDue',
  version: 1,
  topic: Topics.applicationEvents,
  description:
    'A reminder for a notification system: the credential expires in `daysBefore` days (negative: expired that many days ago) and no recertification is approved yet.',
  schema: z.strictObject({ ...cycleDeadline, daysBefore: z.number().int(), dueOn: CalendarDateString }),
  key: (p) => p.trainerId,
});

export const CredentialExpired = defineEvent({
  type: 'CredentialExpired',
  version: 1,
  topic: Topics.applicationEvents,
  description:
    'R8: the cycle ended without an approved recertification: the trainer may not practise as certified until one is approved.',
  schema: z.strictObject({ ...cycleDeadline, expiredOn: CalendarDateString }),
  key: (p) => p.trainerId,
});

export const LateWindowClosed = defineEvent({
  type: 'LateWindowClosed',
  version: 1,
  topic: Topics.applicationEvents,
  description:
    'R4, R10: 90 days after expiration: courses completed from now on no longer count toward this cycle, and the additional fee applies.',
  schema: z.strictObject({ ...cycleDeadline, closedOn: CalendarDateString }),
  key: (p) => p.trainerId,
});

export const CredentialLapsed = defineEvent({
  type: 'CredentialLapsed',
  version: 1,
  topic: Topics.applicationEvents,
  description:
    'R9: one year after expiration with no application received: the credential is lapsed and the trainer must pass the exam again.',
  schema: z.strictObject({ ...cycleDeadline, lapsedOn: CalendarDateString }),
  key: (p) => p.trainerId,
});

export const AuditReminderDue = defineEvent({
  type: 'AuditReminderDue',
  version: 1,
  topic: Topics.auditEvents,
  description: 'R11: a reminder for a notification system: the audit documents are due in `daysBefore` days.',
  schema: z.strictObject({
    applicationId: z.uuid(),
    trainerId: TrainerId,
    lastDay: CalendarDateString,
    daysBefore: z.number().int().min(0),
    missingDocuments: z.array(z.strictObject({ kind: z.string(), proves: z.string().optional() })),
  }),
  key: (p) => p.trainerId,
});

export const CprAedWaiverEnded = defineEvent({
  type: 'CprAedWaiverEnded',
  version: 1,
  topic: Topics.ceuEvents,
  description:
    'R7: the waiver of the hands-on skills assessment ended (orders lifted + 60 days): online-only CPR/AED cards are no longer accepted. Names how many trainers hold only such a card, for a notification system.',
  schema: z.strictObject({
    lastDay: CalendarDateString,
    endedOn: CalendarDateString,
    trainersWithOnlineOnlyCards: z.number().int().nonnegative(),
  }),
  key: () => 'cpr-aed-waiver',
});

export const RECERT_EVENTS = [
  CycleStarted,
  ApplicationReceived,
  ApplicationSubmittedV1,
  ApplicationSubmitted,
  ApplicationRefused,
  ApplicationDecided,
  CeuLedgerChanged,
  LedgerAtReceipt,
  CourseApprovalFanOut,
  RecomputeTrainerLedger,
  PayableSettled,
  PayableRefunded,
  MembershipAtReceipt,
  AuditDrawn,
  AuditCompleted,
  PetitionOpened,
  PetitionApproved,
  PetitionClosed,
  RecertificationReminderDue,
  CredentialExpired,
  LateWindowClosed,
  CredentialLapsed,
  AuditReminderDue,
  CprAedWaiverEnded,
] as const;

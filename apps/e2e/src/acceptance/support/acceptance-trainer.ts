import { randomUUID } from 'node:crypto';
import { OutsideClient } from './outside-client';

let trainers = 0;

/**
 * One trainer's upstream systems, as they would post to the public API: the exam system, the
 * learning platform and course providers, a CPR/AED provider, the student portal, the payment
 * processor and the document store. Every value is what a test writes literally.
 */
export class AcceptanceTrainer {
  readonly trainerId = `AT-${randomUUID().slice(0, 8)}-${++trainers}`.toUpperCase();
  readonly credentialId = `CPT-${this.trainerId}`;
  private completions = 0;

  constructor(private readonly client: OutsideClient) {}

  /** The exam system certifies the trainer (R1): the first cycle runs to `expiresOn`. */
  certified(certifiedOn: string, expiresOn: string, options: { credentialId?: string; timeZone?: string } = {}) {
    return this.client.send('trainer-certified', {
      trainerId: this.trainerId,
      credentialId: options.credentialId ?? this.credentialId,
      certifiedOn,
      expiresOn,
      ...(options.timeZone ? { timeZone: options.timeZone } : {}),
    });
  }

  /** A provider's course in NASM's registry (R5), approved from 2020 through 2030 unless said otherwise. */
  registersCourse(courseId: string, ceuHundredths: number, approved = { from: '2020-01-01', until: '2030-12-31' }) {
    return this.client.send('approved-course-registered', {
      providerId: 'ACE',
      courseId,
      title: `Course ${courseId}`,
      ceuHundredths,
      approvedFrom: approved.from,
      approvedUntil: approved.until,
    });
  }

  /** The learning platform reports a completion; returns its id (what an audit asks a certificate for). */
  async completes(courseId: string, completedOn: string, completionId?: string): Promise<string> {
    const id = completionId ?? `${this.trainerId}-C${++this.completions}`;
    await this.client.send('course-completed', {
      completionId: id,
      trainerId: this.trainerId,
      providerId: 'ACE',
      courseId,
      completedOn,
    });
    return id;
  }

  /** A CPR/AED provider issues an Adult CPR and AED card (R7). */
  cprAedCard(issuedOn: string, expiresOn: string, options: { handsOn?: boolean; cardId?: string } = {}) {
    return this.client.send('cpr-aed-card-issued', {
      cardId: options.cardId ?? `${this.trainerId}-CPR`,
      trainerId: this.trainerId,
      providerId: 'RED-CROSS',
      issuedOn,
      expiresOn,
      includesAdultCpr: true,
      includesAed: true,
      handsOnSkillsAssessment: options.handsOn ?? true,
    });
  }

  /** The portal submits an application; its receipt is the system's own instant (R9, R10). */
  /** The portal submits an application; `submittedAt` is the portal's claim (its own clock by default). */
  async applies(options: { credentialId?: string; submittedAt?: string } = {}): Promise<string> {
    const applicationId = randomUUID();
    await this.client.send('recertification-application-submitted', {
      applicationId,
      trainerId: this.trainerId,
      ...(options.credentialId ? { credentialId: options.credentialId } : {}),
      submittedAt: options.submittedAt ?? this.client.now().toISOString(),
    });
    return applicationId;
  }

  /** The portal submits a petition for a course that is not pre-approved (R6). */
  async petitions(
    courseTitle: string,
    completedOn: string,
    contactHours: string,
    options: { completionId?: string } = {},
  ): Promise<string> {
    const petitionId = randomUUID();
    await this.client.send('course-petition-submitted', {
      petitionId,
      trainerId: this.trainerId,
      ...(options.completionId ? { completionId: options.completionId } : {}),
      courseTitle,
      providerName: 'Local Gym Academy',
      completedOn,
      contactHours,
      certificateRef: `s3://recert-petitions/${petitionId}.pdf`,
    });
    return petitionId;
  }

  /** The payment processor reports a captured payment for a payable (`application-fee:<id>`, `petition-fee:<id>`). */
  pays(payableId: string, amountCents: number, paymentId = `PAY-${randomUUID()}`) {
    return this.processorEvent('payment.succeeded', payableId, amountCents, paymentId);
  }

  /** The payment processor reports that it gave a payment back. */
  refunds(payableId: string, amountCents: number, paymentId: string) {
    return this.processorEvent('payment.refunded', payableId, amountCents, paymentId);
  }

  /** Through its signed webhook: the processor's facts are not accepted from other callers (issue 13). */
  private processorEvent(type: string, payableId: string, amountCents: number, paymentId: string) {
    return this.client.processorWebhook({
      id: `EVT-${randomUUID()}`,
      type,
      data: { paymentId, payableId, amountCents, occurredAt: this.client.now().toISOString() },
    });
  }

  /**
   * The payment processor reports that the trainer bought a Recertify for Life membership (through
   * its signed webhook): a membership fact, recorded by payments (DOMAIN.md, "Clarified after review").
   */
  buysRecertifyForLife(membershipId: string, amountCents: number) {
    return this.client.processorWebhook({
      id: `EVT-${randomUUID()}`,
      type: 'recertify-for-life.purchased',
      data: {
        membershipId,
        trainerId: this.trainerId,
        paymentId: `PAY-${membershipId}`,
        amountCents,
        occurredAt: this.client.now().toISOString(),
      },
    });
  }

  /** The document store received an audit document (R11); returns the document id. */
  async uploads(
    applicationId: string,
    kind: 'course-certificate' | 'cpr-aed-card-front' | 'cpr-aed-card-back',
    completionId?: string,
  ): Promise<string> {
    const documentId = `DOC-${randomUUID()}`;
    await this.client.send('audit-document-uploaded', {
      documentId,
      trainerId: this.trainerId,
      applicationId,
      kind,
      ...(completionId ? { completionId } : {}),
      storageRef: `s3://recert-audit/${this.trainerId}/${documentId}`,
      uploadedAt: this.client.now().toISOString(),
    });
    return documentId;
  }

  /** The application once it has left `statuses` (e.g. once it is no longer being received). */
  applicationOnceIn(applicationId: string, statuses: string[], timeoutMs = 60_000) {
    return this.client.eventually(
      `/v1/applications/${applicationId}`,
      (a: { status: string }) => statuses.includes(a.status),
      `application ${applicationId} to be ${statuses.join(' or ')}`,
      timeoutMs,
    );
  }

  /** The CEU ledger once it counts `totalCeu` from courses, e.g. "1.9" (so a scenario can go on from there). */
  ledgerReaches(totalCeu: string) {
    return this.client.eventually(
      `/v1/trainers/${this.trainerId}/ledger`,
      (l: { totalCeu?: string }) => l.totalCeu === totalCeu,
      `the ledger of ${this.trainerId} to count ${totalCeu} CEUs`,
    );
  }
}

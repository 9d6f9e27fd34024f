import {
  ApprovedCourseRegistered,
  AuditDocumentUploaded,
  CourseCompleted,
  CoursePetitionSubmitted,
  CprAedCardIssued,
  PaymentSucceeded,
  RecertificationApplicationSubmitted,
  TrainerCertified,
} from '@recert/contracts';
import { uniqueName, waitFor } from '@recert/testing';
import { RecertSystem } from './recert-system';

/** The upstream events of one trainer's cycle, with names that read like the story they tell. */
export class TrainerStory {
  readonly trainerId = uniqueName('T').toUpperCase();
  private completions = 0;

  constructor(private readonly system: RecertSystem) {}

  certified(certifiedOn: string, expiresOn: string) {
    return this.system.publish(TrainerCertified, {
      trainerId: this.trainerId,
      credentialId: `CPT-${this.trainerId}`,
      certifiedOn,
      expiresOn,
    });
  }

  /** A pre-approved course in the registry (R5), worth `ceuHundredths`. */
  approvedCourse(courseId: string, ceuHundredths: number) {
    return this.system.publish(ApprovedCourseRegistered, {
      providerId: 'ACE',
      courseId,
      title: `Course ${courseId}`,
      ceuHundredths,
      approvedFrom: '2020-01-01',
      approvedUntil: '2030-12-31',
    });
  }

  async completed(courseId: string, completedOn: string): Promise<string> {
    const completionId = `${this.trainerId}-c${++this.completions}`;
    await this.system.publish(CourseCompleted, {
      completionId,
      trainerId: this.trainerId,
      providerId: 'ACE',
      courseId,
      completedOn,
    });
    return completionId;
  }

  cprAedCard(issuedOn: string, expiresOn: string, handsOn = true) {
    return this.system.publish(CprAedCardIssued, {
      cardId: `${this.trainerId}-cpr`,
      trainerId: this.trainerId,
      providerId: 'RED-CROSS',
      issuedOn,
      expiresOn,
      includesAdultCpr: true,
      includesAed: true,
      handsOnSkillsAssessment: handsOn,
    });
  }

  async applies(submittedAt: string): Promise<string> {
    const applicationId = RecertSystem.id();
    await this.system.publish(RecertificationApplicationSubmitted, {
      applicationId,
      trainerId: this.trainerId,
      submittedAt,
    });
    return applicationId;
  }

  pays(applicationId: string, amountCents: number, paymentId = `pay-${applicationId}`) {
    return this.system.publish(PaymentSucceeded, {
      processorEventId: `evt-${paymentId}`,
      paymentId,
      payableId: `application-fee:${applicationId}`,
      amountCents,
      occurredAt: this.system.now().toISOString(),
    });
  }

  uploads(
    applicationId: string,
    kind: 'course-certificate' | 'cpr-aed-card-front' | 'cpr-aed-card-back',
    completionId?: string,
    attempt = 1,
  ) {
    return this.system.publish(AuditDocumentUploaded, {
      documentId: this.documentId(applicationId, kind, completionId, attempt),
      trainerId: this.trainerId,
      applicationId,
      kind,
      completionId,
      storageRef: `s3://recert-audit/${this.trainerId}/${kind}`,
      uploadedAt: this.system.now().toISOString(),
    });
  }

  documentId(applicationId: string, kind: string, completionId?: string, attempt = 1): string {
    return `${applicationId.slice(0, 8)}-${kind}-${completionId ?? ''}${attempt > 1 ? `-${attempt}` : ''}`;
  }

  async petitions(courseTitle: string, completedOn: string, contactHours: string): Promise<string> {
    const petitionId = RecertSystem.id();
    await this.system.publish(CoursePetitionSubmitted, {
      petitionId,
      trainerId: this.trainerId,
      courseTitle,
      providerName: 'Local Gym Academy',
      completedOn,
      contactHours,
      certificateRef: `s3://recert-petitions/${petitionId}.pdf`,
    });
    return petitionId;
  }

  paysPetitionFee(petitionId: string) {
    return this.system.publish(PaymentSucceeded, {
      processorEventId: `evt-${petitionId}`,
      paymentId: `pay-${petitionId}`,
      payableId: `petition-fee:${petitionId}`,
      amountCents: 2_500,
      occurredAt: this.system.now().toISOString(),
    });
  }

  /** Everything a trainer needs for a cycle expiring `expiresOn`: 1.9 CEUs and a current hands-on card. */
  async qualifies(expiresOn: string, courseCompletedOn = '2026-03-01'): Promise<string[]> {
    const course = `C19-${this.trainerId}`;
    await this.approvedCourse(course, 190);
    const completion = await this.completed(course, courseCompletedOn);
    // A year past the expiration (no test expires on 29 February).
    await this.cprAedCard('2025-06-01', `${Number(expiresOn.slice(0, 4)) + 1}${expiresOn.slice(4)}`);
    return [completion];
  }

  /**
   * Upstream topics carry no order between them: a test that wants the application to find the
   * trainer's ledger waits until the CEU service counts it (and holds the cards), as a trainer
   * would in life.
   */
  async ledgerReached(totalCeuHundredths: number, cards = 1, timeoutMs = 45_000): Promise<void> {
    await waitFor(
      async () => {
        const ledger = await this.system.api('GET', `/v1/trainers/${this.trainerId}/ledger`);
        const [held] = await this.system.query<{ n: number }>(
          'ceu-verification',
          `SELECT count(*)::int AS n FROM schema.cpr_aed_cards WHERE trainer_id = $1`,
          [this.trainerId],
        );
        return { total: ledger.status === 200 ? ledger.body.totalCeu : null, cards: held.n };
      },
      (r) => r.total === formatHundredths(totalCeuHundredths) && r.cards === cards,
      { timeoutMs, what: `the ledger of ${this.trainerId} to reach ${totalCeuHundredths} hundredths` },
    );
  }
}

/** 190 → "1.9", 15 → "0.15", 0 → "0.0": how the ledger API writes CEUs. */
function formatHundredths(value: number): string {
  const fraction = String(value % 100).padStart(2, '0').replace(/(\d)0$/, '$1');
  return `${Math.floor(value / 100)}.${fraction}`;
}

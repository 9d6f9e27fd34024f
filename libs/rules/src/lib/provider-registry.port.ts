import { CalendarDate } from './calendar-date';
import { CeuHundredths } from './ceu';

/**
 * R5: NASM approves a specific course offering for a period (typically a calendar year); the CEU
 * value comes from this approval, never from the trainer's claim.
 */
export interface CourseApproval {
  readonly providerId: string;
  readonly courseId: string;
  readonly ceu: CeuHundredths;
  /** First and last day of the approval, both inclusive. */
  readonly approvedFrom: CalendarDate;
  readonly approvedUntil: CalendarDate;
  /** NASM's own courses are credited automatically (no upload, no petition). */
  readonly nasmOwn: boolean;
  /** The course's title in the registry (a petition for the same course is recognised by it). */
  readonly title?: string;
}

/**
 * The approved-provider registry, as the rules need it (a port: the CEU service keeps the data
 * and upstream updates it; the rules only ask). Synchronous on purpose: an adapter loads the
 * approvals it needs first, so the rules stay pure.
 */
export interface ProviderRegistry {
  /** The approval in force for this course on `on`, if any (R5: judged on the completion date). */
  approvalOn(providerId: string, courseId: string, on: CalendarDate): CourseApproval | undefined;
}

/** A registry over a list of approvals (also what services load from their tables). */
export class InMemoryProviderRegistry implements ProviderRegistry {
  constructor(private readonly approvals: readonly CourseApproval[]) {
    for (const a of approvals) {
      if (a.approvedUntil.isBefore(a.approvedFrom))
        throw new RangeError(`R5: approval of ${a.providerId}/${a.courseId} ends before it starts`);
    }
  }

  /** Where approvals overlap, the one that started last wins (a re-approval replaces the older value). */
  approvalOn(providerId: string, courseId: string, on: CalendarDate): CourseApproval | undefined {
    return this.approvals
      .filter(
        (a) => a.providerId === providerId && a.courseId === courseId && on.isWithin(a.approvedFrom, a.approvedUntil),
      )
      .reduce<
        CourseApproval | undefined
      >((latest, a) => (latest === undefined || a.approvedFrom.isAfter(latest.approvedFrom) ? a : latest), undefined);
  }
}

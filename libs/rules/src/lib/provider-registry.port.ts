import { CalendarDate } from './calendar-date';
import { CeuHundredths } from './ceu';

/**
 * R5: NASM approves a specific course offering for a period; the CEU value comes from this
 * approval, never from the trainer's claim.
 */
export interface CourseApproval {
  readonly providerId: string;
  readonly courseId: string;
  readonly ceu: CeuHundredths;
  readonly approvedFrom: CalendarDate;
  readonly approvedUntil: CalendarDate;
  /** NASM's own courses are credited automatically (no upload, no petition). */
  readonly nasmOwn: boolean;
}

/** The approved-provider registry, as the rules need it; the CEU service keeps the data. */
export interface ProviderRegistry {
  /** The approval in force for this course on `on`, if any. */
  approvalOn(providerId: string, courseId: string, on: CalendarDate): CourseApproval | undefined;
}

/** A registry over a list of approvals (also what services load from their tables). */
export class InMemoryProviderRegistry implements ProviderRegistry {
  constructor(private readonly approvals: readonly CourseApproval[]) {}

  approvalOn(providerId: string, courseId: string, on: CalendarDate): CourseApproval | undefined {
    return this.approvals.find(
      (a) => a.providerId === providerId && a.courseId === courseId && on.isWithin(a.approvedFrom, a.approvedUntil),
    );
  }
}

import { CalendarDate } from './calendar-date';
import { CeuHundredths, sumCeu } from './ceu';
import { Cycle } from './cycle';
import { RecertPolicy } from './policy';
import { ProviderRegistry } from './provider-registry.port';
import { windowsOf } from './application-window';

/** A course completion as upstream reported it. */
export interface CourseCompletion {
  readonly completionId: string;
  readonly providerId: string;
  readonly courseId: string;
  readonly completedOn: CalendarDate;
  /** What the trainer or provider claimed. Ignored on purpose: R5 takes the registry's value. */
  readonly claimedCeu?: CeuHundredths;
}

/** CEUs granted by an approved petition (R6) for a course completed on `completedOn`. */
export interface PetitionCredit {
  readonly petitionId: string;
  readonly ceu: CeuHundredths;
  readonly completedOn: CalendarDate;
}

export interface CountedCredit {
  readonly source: 'approved-course' | 'petition';
  /** The completion id, or the petition id. */
  readonly id: string;
  readonly ceu: CeuHundredths;
  readonly completedOn: CalendarDate;
}

export type NotCountedReason = 'duplicate' | 'before-cycle' | 'after-late-window' | 'not-approved-on-completion-date';

export interface NotCounted {
  readonly id: string;
  readonly reason: NotCountedReason;
  readonly explanation: string;
}

export interface CeuTally {
  readonly counted: readonly CountedCredit[];
  readonly notCounted: readonly NotCounted[];
  readonly totalCeu: CeuHundredths;
}

/**
 * R4: a course counts toward a cycle when completed within it (its first day included), or no
 * later than 90 days after its expiration (day 90 counts, day 91 does not); one completion
 * counts once (same id, or same provider and course on the same day — the first report wins).
 * R5: only pre-approved courses count directly, at the registry's CEU value, if approved on the
 * completion date. R6: anything else counts only through an approved petition.
 */
export function tallyCeu(
  cycle: Cycle,
  completions: readonly CourseCompletion[],
  petitionCredits: readonly PetitionCredit[],
  registry: ProviderRegistry,
  policy: RecertPolicy,
): CeuTally {
  const { lateWindowEndsOn } = windowsOf(cycle, policy);
  const counted: CountedCredit[] = [];
  const notCounted: NotCounted[] = [];
  const seenIds = new Set<string>();
  const seenCourseDays = new Set<string>();

  const inWindow = (id: string, on: CalendarDate): boolean => {
    if (on.isBefore(cycle.startsOn)) {
      notCounted.push({
        id,
        reason: 'before-cycle',
        explanation: `R4: completed ${on}, before the cycle started ${cycle.startsOn}`,
      });
      return false;
    }
    if (on.isAfter(lateWindowEndsOn)) {
      notCounted.push({
        id,
        reason: 'after-late-window',
        explanation: `R4: completed ${on}, ${cycle.expiresOn.daysUntil(on)} days after expiration (${policy.lateWindowDays} allowed)`,
      });
      return false;
    }
    return true;
  };

  for (const completion of completions) {
    const courseDay = `${completion.providerId}/${completion.courseId}@${completion.completedOn}`;
    if (seenIds.has(completion.completionId) || seenCourseDays.has(courseDay)) {
      notCounted.push({
        id: completion.completionId,
        reason: 'duplicate',
        explanation: 'R4: the same completion counts once',
      });
      continue;
    }
    seenIds.add(completion.completionId);
    seenCourseDays.add(courseDay);
    if (!inWindow(completion.completionId, completion.completedOn)) continue;
    const approval = registry.approvalOn(completion.providerId, completion.courseId, completion.completedOn);
    if (!approval) {
      notCounted.push({
        id: completion.completionId,
        reason: 'not-approved-on-completion-date',
        explanation: `R5: ${completion.providerId}/${completion.courseId} was not approved on ${completion.completedOn}; it can count only through a petition (R6)`,
      });
      continue;
    }
    counted.push({
      source: 'approved-course',
      id: completion.completionId,
      ceu: approval.ceu,
      completedOn: completion.completedOn,
    });
  }

  for (const credit of petitionCredits) {
    if (seenIds.has(`petition:${credit.petitionId}`)) {
      notCounted.push({ id: credit.petitionId, reason: 'duplicate', explanation: 'R4: the same petition counts once' });
      continue;
    }
    seenIds.add(`petition:${credit.petitionId}`);
    if (!inWindow(credit.petitionId, credit.completedOn)) continue;
    counted.push({ source: 'petition', id: credit.petitionId, ceu: credit.ceu, completedOn: credit.completedOn });
  }

  return { counted, notCounted, totalCeu: sumCeu(counted.map((c) => c.ceu)) };
}

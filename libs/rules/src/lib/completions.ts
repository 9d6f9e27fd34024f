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
  /** The course's title as the learning platform reported it (matches a petition for the same course). */
  readonly courseTitle?: string;
}

/** CEUs granted by an approved petition (R6) for a course completed on `completedOn`. */
export interface PetitionCredit {
  readonly petitionId: string;
  readonly ceu: CeuHundredths;
  readonly completedOn: CalendarDate;
  /** The completion the petition was for, when the trainer named one (the registry did not credit it). */
  readonly completionId?: string | null;
  readonly courseTitle?: string;
}

export interface CountedCredit {
  readonly source: 'approved-course' | 'petition';
  /** The completion id, or the petition id. */
  readonly id: string;
  readonly ceu: CeuHundredths;
  readonly completedOn: CalendarDate;
}

export type NotCountedReason =
  | 'duplicate'
  | 'before-cycle'
  | 'after-late-window'
  | 'not-approved-on-completion-date'
  | 'used-by-earlier-cycle';

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
 * later than 90 days after its expiration (day 90 counts, day 91 does not); one course counts
 * once (same id, same provider and course on the same day, or a petition for a course that
 * counted already — the first report wins, and the registry before a petition). A credit an
 * earlier cycle's approved application used never counts again ("Credits are used once"), even
 * when its completion date lies in this cycle. R5: only pre-approved courses count directly, at
 * the registry's CEU value, if approved on the completion date. R6: anything else counts only
 * through an approved petition.
 */
export function tallyCeu(
  cycle: Cycle,
  completions: readonly CourseCompletion[],
  petitionCredits: readonly PetitionCredit[],
  registry: ProviderRegistry,
  policy: RecertPolicy,
  /** Credit id → the expiration of the earlier cycle whose approved application used it. */
  usedByEarlierCycles: ReadonlyMap<string, string> = new Map(),
): CeuTally {
  const { lateWindowEndsOn } = windowsOf(cycle, policy);
  /** Who already counted a course on a day, by normalised title: a petition for it adds nothing. */
  const countedCourseTitles = new Map<string, string>();
  const titleKey = (title: string, on: CalendarDate) => `${title.trim().replace(/\s+/g, ' ').toLowerCase()}@${on}`;
  const usedEarlier = (id: string): boolean => {
    const usedBy = usedByEarlierCycles.get(id);
    if (usedBy === undefined) return false;
    notCounted.push({
      id,
      reason: 'used-by-earlier-cycle',
      explanation: `R4: used by the approved recertification of the cycle that expired ${usedBy}; credits count once`,
    });
    return true;
  };
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
    if (usedEarlier(completion.completionId)) continue;
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
    for (const title of [completion.courseTitle, approval.title]) {
      if (title) countedCourseTitles.set(titleKey(title, completion.completedOn), completion.completionId);
    }
  }
  const countedIds = new Set(counted.map((c) => c.id));

  for (const credit of petitionCredits) {
    if (seenIds.has(`petition:${credit.petitionId}`)) {
      notCounted.push({ id: credit.petitionId, reason: 'duplicate', explanation: 'R4: the same petition counts once' });
      continue;
    }
    seenIds.add(`petition:${credit.petitionId}`);
    // R4, R6: one course counts once, whether it came through the registry or a petition.
    const sameCourse =
      (credit.completionId && countedIds.has(credit.completionId) ? credit.completionId : undefined) ??
      (credit.courseTitle ? countedCourseTitles.get(titleKey(credit.courseTitle, credit.completedOn)) : undefined);
    if (sameCourse !== undefined) {
      notCounted.push({
        id: credit.petitionId,
        reason: 'duplicate',
        explanation: `R4: the same course counts once: it already counted as ${sameCourse}`,
      });
      continue;
    }
    if (usedEarlier(credit.petitionId)) continue;
    if (!inWindow(credit.petitionId, credit.completedOn)) continue;
    counted.push({ source: 'petition', id: credit.petitionId, ceu: credit.ceu, completedOn: credit.completedOn });
    countedIds.add(credit.petitionId);
    if (credit.courseTitle) countedCourseTitles.set(titleKey(credit.courseTitle, credit.completedOn), credit.petitionId);
  }

  return { counted, notCounted, totalCeu: sumCeu(counted.map((c) => c.ceu)) };
}

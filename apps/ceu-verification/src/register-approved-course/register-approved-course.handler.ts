import { Injectable } from '@nestjs/common';
import {
  ApprovedCourseRegistered,
  COURSE_APPROVAL_PAGE_SIZE,
  CourseApprovalFanOut,
  PayloadOf,
  RecomputeTrainerLedger,
} from '@recert/contracts';
import { EventScope } from '@recert/messaging';
import { ApprovedCourseLock } from '../ledger/approved-course-lock';
import { CeuLedger } from '../ledger/ceu-ledger';

/**
 * The approved-provider registry (R5), kept from upstream updates. A course approved after
 * trainers reported completing it changes their ledgers. However many they are, no transaction
 * recomputes more than one: the change is handed out a page of trainers at a time
 * (CourseApprovalFanOut), as one work item per trainer (RecomputeTrainerLedger), each applied in
 * a transaction of its own.
 */
@Injectable()
export class RegisterApprovedCourseHandler {
  constructor(private readonly ledger: CeuLedger) {}

  async register(scope: EventScope, a: PayloadOf<typeof ApprovedCourseRegistered>): Promise<void> {
    await ApprovedCourseLock.exclusive(scope.manager, a.providerId, a.courseId);
    await scope.manager.query(
      `INSERT INTO approved_courses (provider_id, course_id, approved_from, approved_until, ceu_hundredths, title, nasm_own)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (provider_id, course_id, approved_from)
       DO UPDATE SET approved_until = $4, ceu_hundredths = $5, title = $6, nasm_own = $7`,
      [a.providerId, a.courseId, a.approvedFrom, a.approvedUntil, a.ceuHundredths, a.title, a.nasmOwn],
    );
    scope.publish(CourseApprovalFanOut, { providerId: a.providerId, courseId: a.courseId, afterTrainerId: null });
  }

  /** One page: a work item for each of the next trainers who completed the course, then the next page if any. */
  async fanOut(scope: EventScope, page: PayloadOf<typeof CourseApprovalFanOut>): Promise<void> {
    // One more than a page tells whether another page follows.
    const rows: { trainer_id: string }[] = await scope.manager.query(
      `SELECT DISTINCT trainer_id FROM completions
       WHERE provider_id = $1 AND course_id = $2 AND ($3::text IS NULL OR trainer_id > $3)
       ORDER BY trainer_id LIMIT $4`,
      [page.providerId, page.courseId, page.afterTrainerId, COURSE_APPROVAL_PAGE_SIZE + 1],
    );
    const trainers = rows.slice(0, COURSE_APPROVAL_PAGE_SIZE).map((r) => r.trainer_id);
    for (const trainerId of trainers)
      scope.publish(RecomputeTrainerLedger, { trainerId, providerId: page.providerId, courseId: page.courseId });
    if (rows.length > COURSE_APPROVAL_PAGE_SIZE)
      scope.publish(CourseApprovalFanOut, { ...page, afterTrainerId: trainers[trainers.length - 1] });
  }

  recompute(scope: EventScope, item: PayloadOf<typeof RecomputeTrainerLedger>): Promise<void> {
    return this.ledger.recompute(scope, item.trainerId);
  }
}

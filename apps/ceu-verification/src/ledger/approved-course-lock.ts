import { EntityManager } from 'typeorm';

/**
 * R5: recording a completion and changing the registry's entry for its course take turns. A
 * completion holds the course's lock shared from before its recompute reads the registry until
 * it commits; a registry change takes it exclusively, so it commits either before that read (the
 * recompute counts the approval) or after the completion (the change's fan-out finds it).
 */
export class ApprovedCourseLock {
  static shared(manager: EntityManager, providerId: string, courseId: string): Promise<unknown> {
    return manager.query(`SELECT pg_advisory_xact_lock_shared(hashtext('approved-course:' || $1 || '/' || $2))`, [
      providerId,
      courseId,
    ]);
  }

  static exclusive(manager: EntityManager, providerId: string, courseId: string): Promise<unknown> {
    return manager.query(`SELECT pg_advisory_xact_lock(hashtext('approved-course:' || $1 || '/' || $2))`, [
      providerId,
      courseId,
    ]);
  }
}

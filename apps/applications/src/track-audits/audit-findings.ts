import { AuditCompleted, PayloadOf } from '@recert/contracts';
import { AuditState, FailedAudit } from '@recert/rules';
import { ApplicationRecord } from '../database/recertification.repository';

/** R11: for a failed audit, who decided, why and each document at fault; null for a pass. */
export function findingsOf(a: PayloadOf<typeof AuditCompleted>): FailedAudit | null {
  return a.outcome === 'failed'
    ? {
        state: 'failed',
        decidedBy: a.decidedBy,
        reason: a.reason ?? 'documentation missing at the deadline',
        missing: a.missingDocuments,
        rejected: a.rejectedDocuments,
      }
    : null;
}

/** The audit as decide() weighs it: until the draw arrives it is as good as pending; a failure comes with its findings. */
export function auditForDecision(application: ApplicationRecord): AuditState | FailedAudit {
  const state = application.auditState ?? 'awaiting-documents';
  return state === 'failed' ? (application.auditFindings ?? state) : state;
}

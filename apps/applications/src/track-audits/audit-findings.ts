import { EntityManager } from 'typeorm';
import { AuditCompleted, PayloadOf } from '@recert/contracts';
import { AuditState, FailedAudit } from '@recert/rules';

/** R11: records a completed audit's outcome and, for a failure, who decided, why and each document at fault. */
export async function recordAuditCompleted(m: EntityManager, a: PayloadOf<typeof AuditCompleted>): Promise<void> {
  const findings: FailedAudit | null =
    a.outcome === 'failed'
      ? {
          state: 'failed',
          decidedBy: a.decidedBy,
          reason: a.reason ?? 'documentation missing at the deadline',
          missing: a.missingDocuments,
          rejected: a.rejectedDocuments,
        }
      : null;
  await m.query(`UPDATE applications SET audit_state = $2, audit_findings = $3::jsonb WHERE application_id = $1`, [
    a.applicationId,
    a.outcome,
    findings ? JSON.stringify(findings) : null,
  ]);
}

/** The audit as decide() weighs it: a failure with its findings when they were recorded. */
export async function auditForDecision(
  m: EntityManager,
  applicationId: string,
  state: AuditState,
): Promise<AuditState | FailedAudit> {
  if (state !== 'failed') return state;
  const [row] = await m.query(`SELECT audit_findings FROM applications WHERE application_id = $1`, [applicationId]);
  return (row?.audit_findings as FailedAudit | null) ?? state;
}

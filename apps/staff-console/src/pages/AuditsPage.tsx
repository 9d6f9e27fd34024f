import { useState } from 'react';
import { get, post, Session, when } from '../api';
import { ActForm, By, Id, Problem, Table, useLoad } from '../ui';

interface Actor {
  name: string;
  roles: string[];
}
interface AuditSummary {
  applicationId: string;
  trainerId: string;
  credentialId: string;
  status: string;
  forced: boolean;
  drawnOn: string;
  documentationDueOn: string | null;
  daysLeft: number | null;
  requiredDocuments: { kind: string; proves?: string }[];
  extensions: { days: number; reason: string; by: Actor; at: string }[];
}
interface Audit extends AuditSummary {
  seed: string;
  documents: {
    documentId: string;
    kind: string;
    completionId: string | null;
    storageRef: string;
    uploadedAt: string;
    counts: boolean;
    review: { state: string; reason: string | null; by: Actor | null; at: string | null };
  }[];
  actions: { action: string; documentId: string | null; by: Actor; at: string; reason: string | null }[];
}

/** The audit queue, soonest deadline first: each required document, reviewed one by one (R11). */
export function AuditsPage({ session }: { session: Session }) {
  const [open, setOpen] = useState<string | null>(null);
  const queue = useLoad(async () => {
    const lists = await Promise.all(
      ['awaiting-documents', 'under-review'].map((s) => get<AuditSummary[]>(`/v1/audits?status=${s}&limit=500`)),
    );
    return lists
      .flat()
      .sort((a, b) => (a.daysLeft ?? 999) - (b.daysLeft ?? 999) || a.applicationId.localeCompare(b.applicationId));
  }, []);
  return (
    <section>
      <h1>Audits</h1>
      <Problem error={queue.error} />
      {queue.data ? (
        <Table
          caption={`Open audits by days left (${queue.data.length})`}
          head={['Application', 'Trainer', 'Status', 'Days left', 'Documents due', '']}
        >
          {queue.data.map((a) => (
            <tr key={a.applicationId}>
              <td>
                <Id value={a.applicationId} />
              </td>
              <td>
                <Id value={a.trainerId} />
              </td>
              <td>{a.status}</td>
              <td className="num">{a.daysLeft ?? '—'}</td>
              <td>{a.documentationDueOn ?? '—'}</td>
              <td>
                <button
                  type="button"
                  className="secondary"
                  onClick={() => setOpen(a.applicationId)}
                  aria-label={`Open audit ${a.applicationId}`}
                >
                  Open
                </button>
              </td>
            </tr>
          ))}
        </Table>
      ) : null}
      {open ? (
        <AuditView
          key={open}
          applicationId={open}
          canDecide={session.roles?.includes('reviewer') ?? false}
          onChanged={queue.reload}
        />
      ) : null}
    </section>
  );
}

function AuditView({
  applicationId,
  canDecide,
  onChanged,
}: {
  applicationId: string;
  canDecide: boolean;
  onChanged: () => void;
}) {
  const { data: a, error, reload } = useLoad(() => get<Audit>(`/v1/audits/${applicationId}`), [applicationId]);
  const [acting, setActing] = useState<string | null>(null);
  const acted = () => {
    setActing(null);
    reload();
    onChanged();
  };
  if (!a) return <Problem error={error} />;
  const open = a.status === 'awaiting-documents' || a.status === 'under-review';
  return (
    <div className="card" data-testid="audit">
      <h2>
        Audit of <Id value={a.applicationId} /> — <span data-testid="audit-status">{a.status}</span>
      </h2>
      <button type="button" className="link" onClick={reload}>
        Refresh
      </button>
      <dl className="facts">
        <dt>Trainer</dt>
        <dd>
          <Id value={a.trainerId} />
        </dd>
        <dt>Drawn on</dt>
        <dd>
          {a.drawnOn} (seed <Id value={a.seed} />
          {a.forced ? ', selected again after a failed audit' : ''})
        </dd>
        <dt>Documents due</dt>
        <dd>
          {a.documentationDueOn ?? '—'}
          {a.daysLeft !== null ? ` (${a.daysLeft} days left)` : ''}
        </dd>
        <dt>Required</dt>
        <dd>{a.requiredDocuments.map((r) => (r.proves ? `${r.kind} for ${r.proves}` : r.kind)).join('; ')}</dd>
      </dl>
      <Table caption="Documents" head={['Document', 'Kind', 'Stored at', 'Uploaded', 'Review', 'By', '']}>
        {a.documents.map((d) => (
          <tr key={d.documentId} data-testid={`document-${d.documentId}`}>
            <td>
              <Id value={d.documentId} />
            </td>
            <td>
              {d.kind}
              {d.completionId ? (
                <>
                  {' '}
                  for <Id value={d.completionId} />
                </>
              ) : null}
            </td>
            <td>
              <Id value={d.storageRef} />
            </td>
            <td>{when(d.uploadedAt)}</td>
            <td data-testid="review-state">
              {d.review.state}
              {d.review.reason ? `: ${d.review.reason}` : ''}
            </td>
            <td>
              <By by={d.review.by} at={d.review.at} />
            </td>
            <td>
              {canDecide && open && d.review.state === 'pending' ? (
                <button
                  type="button"
                  className="secondary"
                  onClick={() => setActing(d.documentId)}
                  aria-label={`Review document ${d.documentId}`}
                >
                  Review
                </button>
              ) : null}
            </td>
          </tr>
        ))}
      </Table>
      {acting ? (
        <div className="card" aria-label={`Review of ${acting}`} role="group">
          <h3>
            Review <Id value={acting} />
          </h3>
          <ActForm
            idPrefix="accept"
            label="Accept document"
            reasonLabel="Note (optional)"
            reasonRequired={false}
            onAct={async (note) => {
              await post(
                `/v1/audits/${a.applicationId}/documents/${encodeURIComponent(acting)}/accept`,
                note ? { note } : {},
              );
              acted();
            }}
          />
          <ActForm
            idPrefix="reject"
            label="Reject document"
            reasonLabel="Reason for rejecting"
            reasonRequired
            onAct={async (reason) => {
              await post(`/v1/audits/${a.applicationId}/documents/${encodeURIComponent(acting)}/reject`, { reason });
              acted();
            }}
          />
        </div>
      ) : null}
      {canDecide && a.status === 'under-review' ? (
        <>
          <ActForm
            idPrefix="pass"
            label="Pass the audit"
            reasonLabel="Note (optional)"
            reasonRequired={false}
            onAct={async (note) => {
              await post(`/v1/audits/${a.applicationId}/pass`, note ? { note } : {});
              acted();
            }}
          />
          <ActForm
            idPrefix="fail"
            label="Fail the audit"
            reasonLabel="Reason for failing"
            reasonRequired
            onAct={async (reason) => {
              await post(`/v1/audits/${a.applicationId}/fail`, { reason });
              acted();
            }}
          />
        </>
      ) : null}
      {canDecide && open && a.extensions.length === 0 ? (
        <ActForm
          idPrefix="extend"
          label="Grant extension"
          reasonLabel="Reason for the extension"
          reasonRequired
          extra={
            <>
              <label htmlFor="extend-days">Days (1–30)</label>
              <input id="extend-days" name="days" type="number" min={1} max={30} required defaultValue={14} />
            </>
          }
          onAct={async (reason, form) => {
            await post(`/v1/audits/${a.applicationId}/extend`, { days: Number(form.get('days')), reason });
            acted();
          }}
        />
      ) : null}
      <Table caption="Who did what" head={['Act', 'Document', 'Who, when', 'Reason']}>
        {a.actions.map((x, i) => (
          <tr key={i}>
            <td>{x.action}</td>
            <td>{x.documentId ? <Id value={x.documentId} /> : '—'}</td>
            <td>
              <By by={x.by} at={x.at} />
            </td>
            <td>{x.reason ?? '—'}</td>
          </tr>
        ))}
      </Table>
    </div>
  );
}

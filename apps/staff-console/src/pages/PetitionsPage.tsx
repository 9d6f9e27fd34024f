import { useState } from 'react';
import { dollars, get, post, Session, when } from '../api';
import { ActForm, By, Id, Problem, Table, useLoad } from '../ui';

interface Petition {
  petitionId: string;
  trainerId: string;
  courseTitle: string;
  providerName: string;
  completedOn: string;
  contactHours: string;
  certificateRef?: string;
  feeCents: number;
  submittedAt: string;
  state: string;
  ceuGranted: number | null;
  decisionReason: string | null;
  actions?: {
    action: string;
    by: { name: string; roles: string[] };
    at: string;
    reason: string | null;
    ceuGranted: string | null;
  }[];
}

const STATES = ['fee-paid', 'under-review', 'submitted', 'approved', 'denied', 'withdrawn'];

/** R3: at most the contact hours × 0.1 CEU. */
function maxCeu(contactHours: string): string {
  return (Math.round(Number(contactHours) * 10) / 100).toFixed(2).replace(/0$/, '');
}

/** The petition queue: petitions whose fee is paid wait for a reviewer (R6). */
export function PetitionsPage({ session }: { session: Session }) {
  const [state, setState] = useState('fee-paid');
  const [open, setOpen] = useState<string | null>(null);
  const queue = useLoad(async () => {
    const states = state === 'fee-paid' ? ['fee-paid', 'under-review'] : [state];
    return (await Promise.all(states.map((s) => get<Petition[]>(`/v1/petitions?state=${s}&limit=200`)))).flat();
  }, [state]);
  return (
    <section>
      <h1>Petitions</h1>
      <form className="inline" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="petition-state">Show</label>
        <select id="petition-state" value={state} onChange={(e) => setState(e.target.value)}>
          {STATES.map((s) => (
            <option key={s} value={s}>
              {s === 'fee-paid' ? 'waiting for review (fee paid, under review)' : s}
            </option>
          ))}
        </select>
      </form>
      <Problem error={queue.error} />
      {queue.data ? (
        <Table
          caption={`Petitions (${queue.data.length})`}
          head={['Petition', 'Trainer', 'Course', 'Completed on', 'Contact hours', 'State', 'Submitted', '']}
        >
          {queue.data.map((p) => (
            <tr key={p.petitionId}>
              <td>
                <Id value={p.petitionId} />
              </td>
              <td>
                <Id value={p.trainerId} />
              </td>
              <td>
                {p.courseTitle} ({p.providerName})
              </td>
              <td>{p.completedOn}</td>
              <td className="num">{p.contactHours}</td>
              <td>{p.state}</td>
              <td>{when(p.submittedAt)}</td>
              <td>
                <button
                  type="button"
                  className="secondary"
                  onClick={() => setOpen(p.petitionId)}
                  aria-label={`Open petition ${p.petitionId}`}
                >
                  Open
                </button>
              </td>
            </tr>
          ))}
        </Table>
      ) : null}
      {open ? (
        <PetitionView
          key={open}
          petitionId={open}
          canDecide={session.roles?.includes('reviewer') ?? false}
          onChanged={queue.reload}
        />
      ) : null}
    </section>
  );
}

function PetitionView({
  petitionId,
  canDecide,
  onChanged,
}: {
  petitionId: string;
  canDecide: boolean;
  onChanged: () => void;
}) {
  const { data: p, error, reload } = useLoad(() => get<Petition>(`/v1/petitions/${petitionId}`), [petitionId]);
  const acted = () => {
    reload();
    onChanged();
  };
  if (!p) return <Problem error={error} />;
  return (
    <div className="card" data-testid="petition">
      <h2>
        Petition <Id value={p.petitionId} /> — <span data-testid="petition-state">{p.state}</span>
      </h2>
      <dl className="facts">
        <dt>Trainer</dt>
        <dd>
          <Id value={p.trainerId} />
        </dd>
        <dt>Course claimed</dt>
        <dd>
          {p.courseTitle}, by {p.providerName}, completed {p.completedOn}, {p.contactHours} contact hours
        </dd>
        <dt>Certificate</dt>
        <dd>{p.certificateRef ? <Id value={p.certificateRef} /> : '—'}</dd>
        <dt>Fee</dt>
        <dd>{dollars(p.feeCents)}</dd>
        <dt>CEUs granted</dt>
        <dd>{p.ceuGranted === null ? '—' : (p.ceuGranted / 100).toFixed(2)}</dd>
      </dl>
      <Table caption="Acts on this petition" head={['Act', 'Who, when', 'Reason', 'CEUs']}>
        {(p.actions ?? []).map((a, i) => (
          <tr key={i}>
            <td>{a.action}</td>
            <td>
              <By by={a.by} at={a.at} />
            </td>
            <td>{a.reason ?? '—'}</td>
            <td>{a.ceuGranted ?? '—'}</td>
          </tr>
        ))}
      </Table>
      {canDecide && p.state === 'fee-paid' ? (
        <ActForm
          idPrefix="review"
          label="Start review"
          reasonLabel="Note (optional)"
          reasonRequired={false}
          onAct={async (reason) => {
            await post(`/v1/petitions/${p.petitionId}/review`, reason ? { reason } : {});
            acted();
          }}
        />
      ) : null}
      {canDecide && p.state === 'under-review' ? (
        <>
          <ActForm
            idPrefix="approve"
            label="Approve"
            reasonLabel="Reason for approving"
            reasonRequired
            extra={
              <>
                <label htmlFor="approve-ceu">CEUs granted (at most {maxCeu(p.contactHours)})</label>
                <input
                  id="approve-ceu"
                  name="ceu"
                  inputMode="decimal"
                  pattern="\d{1,2}(\.\d{1,2})?"
                  required
                  defaultValue={maxCeu(p.contactHours)}
                  size={6}
                />
              </>
            }
            onAct={async (reason, form) => {
              await post(`/v1/petitions/${p.petitionId}/approve`, { ceuGranted: String(form.get('ceu')), reason });
              acted();
            }}
          />
          <ActForm
            idPrefix="deny"
            label="Deny"
            reasonLabel="Reason for denying"
            reasonRequired
            onAct={async (reason) => {
              await post(`/v1/petitions/${p.petitionId}/deny`, { reason });
              acted();
            }}
          />
        </>
      ) : null}
    </div>
  );
}

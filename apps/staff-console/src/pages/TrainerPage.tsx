import { useState } from 'react';
import { ApiError, dollars, get, when } from '../api';
import { By, Id, Problem, Table } from '../ui';

interface Application {
  applicationId: string;
  credentialId: string;
  status: string;
  receivedAt: string;
  receivedOn: string;
  claimedSubmittedAt: string | null;
  feeTier: string | null;
  feeLines: { kind: string; amount: number }[] | null;
  feeTotalCents: number | null;
  feePaid: boolean;
  auditState: string | null;
  refusalReasons: unknown;
  ledgerAtReceipt: {
    counted: { id: string; source: string; completedOn: string; ceuHundredths: number }[];
    notCounted: { id: string; reason: string; explanation: string }[];
  } | null;
  decision: {
    outcome: string;
    failedRules: string[];
    verdicts: { rule: string; verdict: string; reason: string }[];
  } | null;
  decidedOn: string | null;
}
interface Credential {
  credentialId: string;
  timeZone: string;
  certifiedOn: string;
  status: string;
  currentCycle: Record<string, string>;
  cycles: { startsOn: string; expiresOn: string; startedBy: string }[];
  applications: Application[];
}
interface Trainer {
  trainerId: string;
  credentials: Credential[];
}
interface Ledger {
  totalCeu: string;
  counted: { source: string; id: string; ceu: string; completedOn: string }[];
  notCounted: { id: string; reason: string; explanation: string }[];
  progress: { met: boolean; missingCourseCeu: number; courseRequirementMet: boolean; cprAedRequirementMet: boolean };
  cprAed: { valid: boolean; card: { cardId: string; expiresOn: string } | null; advisory: string | null };
}
interface Payable {
  payableId: string;
  purpose: string;
  amountCents: number;
  status: string;
  endedBecause: string | null;
  processorEvents?: {
    processorEventId: string;
    kind: string;
    amountCents: number;
    occurredAt: string;
    outcome: string;
  }[];
}
interface Audit {
  status: string;
  daysLeft: number | null;
  documentationDueOn: string | null;
  documents: {
    documentId: string;
    kind: string;
    storageRef: string;
    review: { state: string; reason: string | null; by: { name: string; roles: string[] } | null; at: string | null };
  }[];
  actions: {
    action: string;
    documentId: string | null;
    by: { name: string; roles: string[] };
    at: string;
    reason: string | null;
  }[];
}

interface Found {
  trainer: Trainer;
  ledgers: Record<string, Ledger>;
  audits: Record<string, Audit>;
  payables: Payable[];
}

async function lookUp(query: string): Promise<Found> {
  const id = encodeURIComponent(query);
  let trainer: Trainer;
  try {
    trainer = await get<Trainer>(`/v1/trainers/${id}`);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
    // Not a trainer id: perhaps a credential's.
    const credential = await get<{ trainerId: string }>(`/v1/credentials/${id}`).catch(() => {
      throw new Error(`no trainer or credential ${query} is on record`);
    });
    trainer = await get<Trainer>(`/v1/trainers/${encodeURIComponent(credential.trainerId)}`);
  }
  const tid = encodeURIComponent(trainer.trainerId);
  const ledgers: Record<string, Ledger> = {};
  const audits: Record<string, Audit> = {};
  await Promise.all(
    trainer.credentials.map(async (c) => {
      ledgers[c.credentialId] = await get<Ledger>(
        `/v1/trainers/${tid}/ledger?credentialId=${encodeURIComponent(c.credentialId)}`,
      );
      for (const a of c.applications.filter((a) => a.auditState && a.auditState !== 'not-selected'))
        audits[a.applicationId] = await get<Audit>(`/v1/audits/${a.applicationId}`);
    }),
  );
  const items = await get<Payable[]>(`/v1/payables?trainerId=${tid}`);
  const payables = await Promise.all(items.map((p) => get<Payable>(`/v1/payables/${encodeURIComponent(p.payableId)}`)));
  return { trainer, ledgers, audits, payables };
}

/** Everything about one trainer, by trainer id or credential id: credentials, ledger, applications, money, audits. */
export function TrainerPage() {
  const initial = new URLSearchParams(window.location.search).get('id') ?? '';
  const [query, setQuery] = useState(initial);
  const [found, setFound] = useState<Found | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const search = async (q: string) => {
    setBusy(true);
    setError(null);
    setFound(null);
    try {
      setFound(await lookUp(q.trim()));
      window.history.replaceState(null, '', `/console/trainers?id=${encodeURIComponent(q.trim())}`);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section>
      <h1>Trainer lookup</h1>
      <form
        className="inline"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          void search(query);
        }}
      >
        <label htmlFor="trainer-query">Trainer id or credential id</label>
        <input id="trainer-query" value={query} onChange={(e) => setQuery(e.target.value)} required />
        <button type="submit" disabled={busy}>
          Find
        </button>
      </form>
      <Problem error={error} />
      {found ? <TrainerView found={found} /> : null}
    </section>
  );
}

function TrainerView({ found }: { found: Found }) {
  const { trainer, ledgers, audits, payables } = found;
  return (
    <div data-testid="trainer">
      <h2>
        Trainer <Id value={trainer.trainerId} />
      </h2>
      {trainer.credentials.map((c) => (
        <div className="card" key={c.credentialId}>
          <h3>
            Credential <Id value={c.credentialId} /> — {c.status}
          </h3>
          <dl className="facts">
            <dt>Certified on</dt>
            <dd>{c.certifiedOn}</dd>
            <dt>Time zone</dt>
            <dd>{c.timeZone}</dd>
            {Object.entries(c.currentCycle).map(([k, v]) => (
              <FactRow key={k} name={k} value={String(v)} />
            ))}
          </dl>
          <Table caption="Cycles" head={['Starts on', 'Expires on', 'Started by']}>
            {c.cycles.map((y) => (
              <tr key={y.startsOn}>
                <td>{y.startsOn}</td>
                <td>{y.expiresOn}</td>
                <td>{y.startedBy}</td>
              </tr>
            ))}
          </Table>
          {ledgers[c.credentialId] ? <LedgerView ledger={ledgers[c.credentialId]} /> : null}
          {c.applications.map((a) => (
            <ApplicationView key={a.applicationId} application={a} audit={audits[a.applicationId]} />
          ))}
        </div>
      ))}
      <h2>Payment trail</h2>
      <Table
        caption="Payable items and processor events"
        head={['Item', 'Purpose', 'Amount', 'Status', 'Processor events']}
      >
        {payables.map((p) => (
          <tr key={p.payableId}>
            <td>
              <Id value={p.payableId} />
            </td>
            <td>{p.purpose}</td>
            <td className="num">{dollars(p.amountCents)}</td>
            <td>
              {p.status}
              {p.endedBecause ? ` (${p.endedBecause})` : ''}
            </td>
            <td>
              {(p.processorEvents ?? []).map((e) => (
                <div key={e.processorEventId}>
                  {when(e.occurredAt)}: {e.kind} {dollars(e.amountCents)} → {e.outcome}
                </div>
              ))}
            </td>
          </tr>
        ))}
      </Table>
    </div>
  );
}

/** "lateWindowEndsOn" → "Late window ends on". */
function FactRow({ name, value }: { name: string; value: string }) {
  const label = name.replace(/([A-Z])/g, ' $1').toLowerCase();
  return (
    <>
      <dt>{label.charAt(0).toUpperCase() + label.slice(1)}</dt>
      <dd>{value}</dd>
    </>
  );
}

function LedgerView({ ledger }: { ledger: Ledger }) {
  const used = ledger.notCounted.filter((n) => n.reason === 'used-by-earlier-cycle');
  const notCounted = ledger.notCounted.filter((n) => n.reason !== 'used-by-earlier-cycle');
  return (
    <>
      <p>
        Ledger of the current cycle: <strong>{ledger.totalCeu} CEUs</strong> from courses;{' '}
        {ledger.progress.met
          ? 'requirements met'
          : `${(ledger.progress.missingCourseCeu / 100).toFixed(2)} CEUs missing`}
        ; CPR/AED {ledger.cprAed.valid ? 'valid' : 'not valid'}
        {ledger.cprAed.advisory ? ` (${ledger.cprAed.advisory})` : ''}.
      </p>
      <Table
        caption="Ledger: counted, not counted, used by an earlier cycle"
        head={['Credit', 'Standing', 'CEUs', 'Completed on', 'Reason']}
      >
        {ledger.counted.map((c) => (
          <tr key={c.id}>
            <td>
              <Id value={c.id} />
            </td>
            <td>counted</td>
            <td className="num">{c.ceu}</td>
            <td>{c.completedOn}</td>
            <td>{c.source}</td>
          </tr>
        ))}
        {used.map((n) => (
          <tr key={n.id}>
            <td>
              <Id value={n.id} />
            </td>
            <td>used by an earlier cycle</td>
            <td className="num">—</td>
            <td>—</td>
            <td>{n.explanation}</td>
          </tr>
        ))}
        {notCounted.map((n) => (
          <tr key={n.id}>
            <td>
              <Id value={n.id} />
            </td>
            <td>not counted</td>
            <td className="num">—</td>
            <td>—</td>
            <td>{n.explanation}</td>
          </tr>
        ))}
      </Table>
    </>
  );
}

function ApplicationView({ application: a, audit }: { application: Application; audit?: Audit }) {
  return (
    <div className="card" data-testid={`application-${a.applicationId}`}>
      <h3>
        Application <Id value={a.applicationId} /> — <span data-testid="application-status">{a.status}</span>
      </h3>
      <dl className="facts">
        <dt>Received</dt>
        <dd>
          {when(a.receivedAt)} (the portal claimed {when(a.claimedSubmittedAt)})
        </dd>
        <dt>Fee</dt>
        <dd>
          {a.feeTier ?? '—'}: {(a.feeLines ?? []).map((l) => `${l.kind} ${dollars(l.amount)}`).join(' + ') || '—'} ={' '}
          {dollars(a.feeTotalCents)}, {a.feePaid ? 'paid' : 'not paid'}
        </dd>
        <dt>Audit</dt>
        <dd>{a.auditState ?? '—'}</dd>
        <dt>Decided on</dt>
        <dd>{a.decidedOn ?? '—'}</dd>
      </dl>
      {a.ledgerAtReceipt ? (
        <Table
          caption="The ledger at receipt: what this application was judged on"
          head={['Credit', 'Standing', 'CEUs', 'Completed on', 'Reason']}
        >
          {a.ledgerAtReceipt.counted.map((c) => (
            <tr key={c.id}>
              <td>
                <Id value={c.id} />
              </td>
              <td>counted</td>
              <td className="num">{(c.ceuHundredths / 100).toFixed(2)}</td>
              <td>{c.completedOn}</td>
              <td>{c.source}</td>
            </tr>
          ))}
          {a.ledgerAtReceipt.notCounted.map((n) => (
            <tr key={n.id}>
              <td>
                <Id value={n.id} />
              </td>
              <td>{n.reason === 'used-by-earlier-cycle' ? 'used by an earlier cycle' : 'not counted'}</td>
              <td className="num">—</td>
              <td>—</td>
              <td>{n.explanation}</td>
            </tr>
          ))}
        </Table>
      ) : null}
      {a.decision ? (
        <Table caption={`Decision: ${a.decision.outcome}, rule by rule`} head={['Rule', 'Verdict', 'Why']}>
          {a.decision.verdicts.map((v) => (
            <tr key={v.rule}>
              <td>{v.rule}</td>
              <td className={v.verdict === 'failed' ? 'verdict-failed' : 'verdict-met'}>{v.verdict}</td>
              <td>{v.reason}</td>
            </tr>
          ))}
        </Table>
      ) : null}
      {a.refusalReasons ? <p>Refused: {JSON.stringify(a.refusalReasons)}</p> : null}
      {audit ? (
        <>
          <p>
            Audit {audit.status}
            {audit.daysLeft !== null ? `, ${audit.daysLeft} days left (documents due ${audit.documentationDueOn})` : ''}
            .
          </p>
          <Table caption="Audit documents" head={['Document', 'Kind', 'Stored at', 'Review', 'By']}>
            {audit.documents.map((d) => (
              <tr key={d.documentId}>
                <td>
                  <Id value={d.documentId} />
                </td>
                <td>{d.kind}</td>
                <td>
                  <Id value={d.storageRef} />
                </td>
                <td>
                  {d.review.state}
                  {d.review.reason ? `: ${d.review.reason}` : ''}
                </td>
                <td>
                  <By by={d.review.by} at={d.review.at} />
                </td>
              </tr>
            ))}
          </Table>
        </>
      ) : null}
    </div>
  );
}

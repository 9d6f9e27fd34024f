import { useEffect, useRef, useState } from 'react';
import { ApiError, get, post, when } from '../api';
import { ActForm, Id, Problem, Table, useLoad } from '../ui';

const SERVICES = ['applications', 'ceu-verification', 'petitions', 'payments', 'audits'];
const PAGE_SIZE = 20;

interface Parked {
  id: string;
  consumer: string;
  messageId: string;
  topic: string;
  partition: number;
  offset: string;
  eventType: string | null;
  kind: string;
  reason: string;
  attempts: number;
  parkedAt: string;
  status: 'parked' | 'replayed' | 'discarded';
  settledBy: string | null;
  settledAt: string | null;
  discardReason: string | null;
  valueBytes: number | null;
}

interface ParkedWhole extends Parked {
  key: string | null;
  headers: Record<string, string>;
  value: string | null;
}

interface Filter {
  service: string;
  status: string;
  topic: string;
  eventType: string;
  reason: string;
  from: string;
  to: string;
}

/** The filter as the API takes it: empty fields left out, days as UTC instants (the `to` day included). */
function queryOf(f: Filter, page: number): string {
  const q = new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE) });
  if (f.status) q.set('status', f.status);
  for (const name of ['topic', 'eventType', 'reason'] as const) if (f[name].trim()) q.set(name, f[name].trim());
  if (f.from) q.set('from', `${f.from}T00:00:00.000Z`);
  if (f.to) q.set('to', `${f.to}T23:59:59.999Z`);
  return q.toString();
}

function setFilterOf(f: Filter): Record<string, string> {
  const body: Record<string, string> = {};
  for (const name of ['topic', 'eventType', 'reason'] as const) if (f[name].trim()) body[name] = f[name].trim();
  const q = new URLSearchParams(queryOf(f, 1));
  for (const name of ['from', 'to']) if (q.get(name)) body[name] = q.get(name) as string;
  return body;
}

/**
 * Dead letters on the ops page: what one service's consumer parked, filtered; one message whole;
 * replay it after a fix (or every parked one the filter selects), or discard it with a reason.
 */
export function DeadLettersPanel() {
  const [filter, setFilter] = useState<Filter>({
    service: 'applications',
    status: 'parked',
    topic: '',
    eventType: '',
    reason: '',
    from: '',
    to: '',
  });
  const [page, setPage] = useState(1);
  const [openId, setOpenId] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const list = useLoad(
    () => get<{ total: number; items: Parked[] }>(`/v1/ops/dead-letters/${filter.service}?${queryOf(filter, page)}`),
    [filter, page],
  );
  const pages = Math.max(1, Math.ceil((list.data?.total ?? 0) / PAGE_SIZE));

  async function replayAll(): Promise<void> {
    setProblem(null);
    try {
      const { results } = await post<{ results: { id: string; outcome?: string; refused?: string }[] }>(
        `/v1/ops/dead-letters/${filter.service}/replay`,
        setFilterOf(filter),
      );
      const outcomes = results.map((r) => `${r.id}: ${r.outcome ?? `refused (${r.refused})`}`);
      setNote(results.length ? `Replayed ${results.length}: ${outcomes.join('; ')}.` : 'Nothing parked matches.');
      list.reload();
    } catch (e) {
      setProblem(e instanceof ApiError ? `${e.status}: ${e.message}` : (e as Error).message);
    }
  }

  return (
    <section aria-labelledby="dead-letters-title" className="dead-letters">
      <h2 id="dead-letters-title">Dead letters</h2>
      <form
        className="inline"
        aria-label="Dead-letter filter"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          const field = (name: string) => String(form.get(name) ?? '');
          setFilter({
            service: field('service'),
            status: field('status'),
            topic: field('topic'),
            eventType: field('eventType'),
            reason: field('reason'),
            from: field('from'),
            to: field('to'),
          });
          setPage(1);
          setOpenId(null);
          setNote(null);
        }}
      >
        <label htmlFor="dl-service">Service</label>
        <select id="dl-service" name="service" defaultValue={filter.service}>
          {SERVICES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <label htmlFor="dl-status">Status</label>
        <select id="dl-status" name="status" defaultValue={filter.status}>
          <option value="parked">parked</option>
          <option value="replayed">replayed</option>
          <option value="discarded">discarded</option>
          <option value="">any</option>
        </select>
        <label htmlFor="dl-topic">Topic</label>
        <input id="dl-topic" name="topic" maxLength={200} />
        <label htmlFor="dl-type">Event type</label>
        <input id="dl-type" name="eventType" maxLength={100} />
        <label htmlFor="dl-reason">Reason contains</label>
        <input id="dl-reason" name="reason" maxLength={200} />
        <label htmlFor="dl-from">Parked on or after</label>
        <input id="dl-from" name="from" type="date" />
        <label htmlFor="dl-to">Parked on or before</label>
        <input id="dl-to" name="to" type="date" />
        <button type="submit">Filter</button>
      </form>
      <Problem error={list.error ?? problem} />
      <div aria-live="polite">{note ? <p data-testid="dead-letters-note">{note}</p> : null}</div>
      {list.data ? (
        <>
          <p data-testid="dead-letters-total">
            {list.data.total} {filter.status || 'in all'} in {filter.service}; page {page} of {pages}
          </p>
          <Table
            caption={`Dead letters of ${filter.service}`}
            head={['Parked', 'Topic', 'Type', 'Reason', 'Status', 'Message', 'Read']}
          >
            {list.data.items.map((p) => (
              <tr key={p.id}>
                <td>{when(p.parkedAt)}</td>
                <td>{p.topic}</td>
                <td>{p.eventType ?? '—'}</td>
                <td>{p.reason}</td>
                <td>
                  {p.status}
                  {p.settledBy ? ` by ${p.settledBy}, ${when(p.settledAt)}` : ''}
                </td>
                <td>
                  <Id value={p.messageId} />
                </td>
                <td>
                  <button
                    type="button"
                    aria-label={`Open dead letter ${p.id}`}
                    onClick={() => {
                      setNote(null);
                      setOpenId(p.id);
                    }}
                  >
                    Open
                  </button>
                </td>
              </tr>
            ))}
          </Table>
          <div className="inline">
            <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
              Previous page
            </button>
            <button type="button" disabled={page >= pages} onClick={() => setPage(page + 1)}>
              Next page
            </button>
            <button type="button" disabled={list.data.total === 0} onClick={() => void replayAll()}>
              Replay every parked one that matches
            </button>
          </div>
        </>
      ) : null}
      {openId ? (
        <ParkedDetail
          key={openId}
          service={filter.service}
          id={openId}
          onActed={(message) => {
            setNote(message);
            list.reload();
          }}
        />
      ) : null}
    </section>
  );
}

function ParkedDetail({ service, id, onActed }: { service: string; id: string; onActed: (message: string) => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const { data, error, reload } = useLoad(
    () => get<ParkedWhole>(`/v1/ops/dead-letters/${service}/${id}`),
    [service, id],
  );
  const [problem, setProblem] = useState<string | null>(null);
  // Opening a message takes the focus to it, so the keyboard goes on from there.
  useEffect(() => {
    if (data) heading.current?.focus();
  }, [data]);
  if (!data) return <Problem error={error} />;
  return (
    <article aria-labelledby="dead-letter-title" className="detail">
      <h3 id="dead-letter-title" ref={heading} tabIndex={-1}>
        Dead letter {data.id}: {data.eventType ?? 'unreadable'} on {data.topic}
      </h3>
      <dl>
        <dt>Consumer</dt>
        <dd>{data.consumer}</dd>
        <dt>Message</dt>
        <dd>
          <Id value={data.messageId} /> (partition {data.partition}, offset {data.offset}, key {data.key ?? '—'})
        </dd>
        <dt>Reason</dt>
        <dd data-testid="dead-letter-reason">
          {data.kind}, after {data.attempts} attempt(s): {data.reason}
        </dd>
        <dt>Parked</dt>
        <dd>{when(data.parkedAt)}</dd>
        <dt>Status</dt>
        <dd data-testid="dead-letter-status">
          {data.status}
          {data.settledBy ? ` by ${data.settledBy}, ${when(data.settledAt)}` : ''}
          {data.discardReason ? `: ${data.discardReason}` : ''}
        </dd>
      </dl>
      <h4 id="dead-letter-original">The original ({data.valueBytes ?? 0} bytes)</h4>
      <pre className="original" tabIndex={0} aria-labelledby="dead-letter-original" data-testid="dead-letter-original">
        {data.value ?? '(no value)'}
      </pre>
      {data.status === 'parked' ? (
        <>
          <button
            type="button"
            onClick={async () => {
              setProblem(null);
              try {
                const result = await post<{ outcome: string }>(`/v1/ops/dead-letters/${service}/${id}/replay`);
                onActed(`Replayed dead letter ${id}: ${result.outcome}.`);
                reload();
              } catch (e) {
                setProblem(e instanceof ApiError ? `${e.status}: ${e.message}` : (e as Error).message);
              }
            }}
          >
            Replay
          </button>
          <Problem error={problem} />
          <ActForm
            idPrefix="discard"
            label="Discard"
            reasonLabel="Why discard it"
            reasonRequired
            onAct={async (reason) => {
              await post(`/v1/ops/dead-letters/${service}/${id}/discard`, { reason });
              onActed(`Discarded dead letter ${id}.`);
              reload();
            }}
          />
        </>
      ) : null}
    </article>
  );
}

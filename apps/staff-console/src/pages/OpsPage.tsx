import { ReactNode, useMemo, useState } from 'react';
import { dollars, get, when } from '../api';
import { ChartCanvas } from '../Chart';
import { Id, Problem, Table, useLoad } from '../ui';
import { DeadLettersPanel } from './DeadLettersPanel';

type Section<T> = { ok: true; data: T } | { ok: false; error: string };

interface Charts {
  at: string;
  from: string;
  to: string;
  applications: Section<{ day: string; received: number; approved: number; denied: number; refused: number }[]>;
  fees: Section<{ day: string; applicationFeeCents: number; petitionFeeCents: number; charges: number }[]>;
  auditQueue: Section<{ daysLeft: number; count: number; applicationIds: string[] }[]>;
  deadlines: Section<{ weekOf: string; kind: string; count: number }[]>;
  backlog: Section<{ at: string; service: string; consumerLag: number; outboxBacklog: number }[]>;
  deadLetters: Section<{ day: string; count: number }[]>;
}

/** What a number stands for: the list behind it, loaded when it is picked. */
interface Drill {
  title: string;
  load: () => Promise<{ head: string[]; rows: ReactNode[][] }>;
}

const RANGES = [7, 30, 90, 365];

/**
 * The ops dashboard: each chart over the chosen range, its numbers in a table beside it, and each
 * number a button that lists what it counts. Ids are shown whole.
 */
export function OpsPage() {
  const [range, setRange] = useState<{ days?: number; from?: string; to?: string }>({ days: 30 });
  const [drill, setDrill] = useState<Drill | null>(null);
  const query = range.from && range.to ? `from=${range.from}&to=${range.to}` : `days=${range.days ?? 30}`;
  const { data, error } = useLoad(() => get<Charts>(`/v1/ops/charts?${query}`), [query]);
  return (
    <section>
      <h1>Ops dashboard</h1>
      <form
        className="inline"
        aria-label="Time range"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          const preset = String(form.get('preset'));
          setDrill(null);
          if (preset === 'custom') setRange({ from: String(form.get('from')), to: String(form.get('to')) });
          else setRange({ days: Number(preset) });
        }}
      >
        <label htmlFor="range-preset">Range</label>
        <select id="range-preset" name="preset" defaultValue="30">
          {RANGES.map((d) => (
            <option key={d} value={d}>
              Last {d} days
            </option>
          ))}
          <option value="custom">From … to …</option>
        </select>
        <label htmlFor="range-from">From</label>
        <input id="range-from" name="from" type="date" />
        <label htmlFor="range-to">To</label>
        <input id="range-to" name="to" type="date" />
        <button type="submit">Show</button>
      </form>
      <Problem error={error} />
      {data ? (
        <>
          <p data-testid="range">
            {data.from} to {data.to} (UTC days), as of {when(data.at)}
          </p>
          <div className="grid">
            <ApplicationsChart section={data.applications} onDrill={setDrill} />
            <FeesChart section={data.fees} onDrill={setDrill} />
            <AuditQueueChart section={data.auditQueue} onDrill={setDrill} />
            <DeadlinesChart section={data.deadlines} onDrill={setDrill} />
            <BacklogChart section={data.backlog} />
            <DeadLettersChart section={data.deadLetters} onDrill={setDrill} />
          </div>
        </>
      ) : null}
      <div aria-live="polite">{drill ? <DrillList key={drill.title} drill={drill} /> : null}</div>
      <DeadLettersPanel />
    </section>
  );
}

function ChartCard({
  id,
  title,
  section,
  children,
}: {
  id: string;
  title: string;
  section: Section<unknown>;
  children: () => ReactNode;
}) {
  return (
    <div className="chart" data-testid={`chart-${id}`}>
      <h2>{title}</h2>
      {section.ok ? children() : <p className="problem">Unavailable: {section.error}</p>}
    </div>
  );
}

/** A count that lists what it counts. */
function Count({ n, label, onPick }: { n: number; label: string; onPick: () => void }) {
  if (n === 0) return <>0</>;
  return (
    <button type="button" className="link" onClick={onPick} aria-label={`${n} ${label}: list them`}>
      {n}
    </button>
  );
}

function ApplicationsChart({ section, onDrill }: { section: Charts['applications']; onDrill: (d: Drill) => void }) {
  const rows = section.ok ? section.data : [];
  const labels = useMemo(() => rows.map((r) => r.day), [rows]);
  const datasets = useMemo(
    () =>
      (['received', 'approved', 'denied', 'refused'] as const).map((k) => ({ label: k, data: rows.map((r) => r[k]) })),
    [rows],
  );
  const list = (day: string, what: 'received' | 'approved' | 'denied' | 'refused') =>
    onDrill({
      title: `Applications ${what} on ${day}`,
      load: async () => {
        const path =
          what === 'received'
            ? `receivedOn=${day}`
            : what === 'refused'
              ? `status=refused&receivedOn=${day}`
              : `status=${what}&decidedOn=${day}`;
        const apps = await get<
          { applicationId: string; trainerId: string; status: string; receivedAt: string; decidedOn: string | null }[]
        >(`/v1/applications?${path}&limit=500`);
        return {
          head: ['Application', 'Trainer', 'Status', 'Received', 'Decided on'],
          rows: apps.map((a) => [
            <Id value={a.applicationId} />,
            <Id value={a.trainerId} />,
            a.status,
            when(a.receivedAt),
            a.decidedOn ?? '—',
          ]),
        };
      },
    });
  return (
    <ChartCard id="applications" title="Applications received and decided per day" section={section}>
      {() => (
        <>
          <ChartCanvas
            type="bar"
            labels={labels}
            datasets={datasets}
            label="Applications received, approved, denied and refused per day"
            onPick={(i, d) => list(rows[i].day, datasets[d].label as 'received')}
          />
          <Table caption="Applications per day" head={['Day', 'Received', 'Approved', 'Denied', 'Refused']}>
            {rows
              .filter((r) => r.received + r.approved + r.denied + r.refused > 0)
              .map((r) => (
                <tr key={r.day}>
                  <td>{r.day}</td>
                  {(['received', 'approved', 'denied', 'refused'] as const).map((k) => (
                    <td className="num" key={k}>
                      <Count n={r[k]} label={`applications ${k} on ${r.day}`} onPick={() => list(r.day, k)} />
                    </td>
                  ))}
                </tr>
              ))}
          </Table>
        </>
      )}
    </ChartCard>
  );
}

function FeesChart({ section, onDrill }: { section: Charts['fees']; onDrill: (d: Drill) => void }) {
  const rows = section.ok ? section.data : [];
  const labels = useMemo(() => rows.map((r) => r.day), [rows]);
  const datasets = useMemo(
    () => [
      { label: 'application fees ($)', data: rows.map((r) => r.applicationFeeCents / 100) },
      { label: 'petition fees ($)', data: rows.map((r) => r.petitionFeeCents / 100) },
    ],
    [rows],
  );
  const list = (day: string, purpose: 'application-fee' | 'petition-fee') =>
    onDrill({
      title: `${purpose === 'application-fee' ? 'Application' : 'Petition'} fees collected on ${day}`,
      load: async () => {
        const charges = await get<
          { processorEventId: string; payableId: string; trainerId: string; amountCents: number; occurredAt: string }[]
        >(`/v1/payments/collected?on=${day}&purpose=${purpose}`);
        return {
          head: ['Payable item', 'Trainer', 'Amount', 'When'],
          rows: charges.map((c) => [
            <Id value={c.payableId} />,
            <Id value={c.trainerId} />,
            dollars(c.amountCents),
            when(c.occurredAt),
          ]),
        };
      },
    });
  return (
    <ChartCard id="fees" title="Fees collected per day by purpose" section={section}>
      {() => (
        <>
          <ChartCanvas
            type="bar"
            stacked
            labels={labels}
            datasets={datasets}
            label="Application and petition fees collected per day, in dollars"
            onPick={(i, d) => list(rows[i].day, d === 0 ? 'application-fee' : 'petition-fee')}
          />
          <Table caption="Fees per day" head={['Day', 'Application fees', 'Petition fees']}>
            {rows
              .filter((r) => r.applicationFeeCents + r.petitionFeeCents > 0)
              .map((r) => (
                <tr key={r.day}>
                  <td>{r.day}</td>
                  <td className="num">
                    <button
                      type="button"
                      className="link"
                      onClick={() => list(r.day, 'application-fee')}
                      aria-label={`${dollars(r.applicationFeeCents)} of application fees on ${r.day}: list them`}
                    >
                      {dollars(r.applicationFeeCents)}
                    </button>
                  </td>
                  <td className="num">
                    <button
                      type="button"
                      className="link"
                      onClick={() => list(r.day, 'petition-fee')}
                      aria-label={`${dollars(r.petitionFeeCents)} of petition fees on ${r.day}: list them`}
                    >
                      {dollars(r.petitionFeeCents)}
                    </button>
                  </td>
                </tr>
              ))}
          </Table>
        </>
      )}
    </ChartCard>
  );
}

function AuditQueueChart({ section, onDrill }: { section: Charts['auditQueue']; onDrill: (d: Drill) => void }) {
  const rows = section.ok ? section.data : [];
  const labels = useMemo(() => rows.map((r) => String(r.daysLeft)), [rows]);
  const datasets = useMemo(() => [{ label: 'open audits', data: rows.map((r) => r.count) }], [rows]);
  const list = (row: { daysLeft: number; applicationIds: string[] }) =>
    onDrill({
      title: `Open audits with ${row.daysLeft} days left`,
      load: async () => ({ head: ['Application'], rows: row.applicationIds.map((id) => [<Id value={id} />]) }),
    });
  return (
    <ChartCard id="audits" title="Audit queue by days left (now)" section={section}>
      {() => (
        <>
          <ChartCanvas
            type="bar"
            labels={labels}
            datasets={datasets}
            label="Open audits by days left"
            onPick={(i) => list(rows[i])}
          />
          <Table caption="Audit queue" head={['Days left', 'Open audits']}>
            {rows.map((r) => (
              <tr key={r.daysLeft}>
                <td>{r.daysLeft}</td>
                <td className="num">
                  <Count n={r.count} label={`audits with ${r.daysLeft} days left`} onPick={() => list(r)} />
                </td>
              </tr>
            ))}
          </Table>
        </>
      )}
    </ChartCard>
  );
}

function DeadlinesChart({ section, onDrill }: { section: Charts['deadlines']; onDrill: (d: Drill) => void }) {
  const rows = section.ok ? section.data : [];
  const weeks = useMemo(() => [...new Set(rows.map((r) => r.weekOf))], [rows]);
  const datasets = useMemo(
    () =>
      [...new Set(rows.map((r) => r.kind))].map((kind) => ({
        label: kind,
        data: weeks.map((w) => rows.find((r) => r.weekOf === w && r.kind === kind)?.count ?? 0),
      })),
    [rows, weeks],
  );
  const list = (weekOf: string, kind: string) =>
    onDrill({
      title: `Deadlines (${kind}) due in the week of ${weekOf}`,
      load: async () => {
        const to = new Date(Date.parse(weekOf) + 6 * 86_400_000).toISOString().slice(0, 10);
        const due = await get<
          { service: string; deadlineId: string; subjectId: string; dueAt: string; status: string }[]
        >(`/v1/ops/deadlines?from=${weekOf}&to=${to}&kind=${kind}`);
        return {
          head: ['Deadline', 'Service', 'Subject', 'Due', 'Status'],
          rows: due.map((d) => [
            <Id value={d.deadlineId} />,
            d.service,
            <Id value={d.subjectId} />,
            when(d.dueAt),
            d.status,
          ]),
        };
      },
    });
  return (
    <ChartCard id="deadlines" title="Deadlines due per week by kind" section={section}>
      {() => (
        <>
          <ChartCanvas
            type="bar"
            stacked
            labels={weeks}
            datasets={datasets}
            label="Deadlines due per week, by kind"
            onPick={(i, d) => list(weeks[i], datasets[d].label)}
          />
          <Table caption="Deadlines per week" head={['Week of', 'Kind', 'Due']}>
            {rows.map((r) => (
              <tr key={`${r.weekOf} ${r.kind}`}>
                <td>{r.weekOf}</td>
                <td>{r.kind}</td>
                <td className="num">
                  <Count
                    n={r.count}
                    label={`${r.kind} deadlines in the week of ${r.weekOf}`}
                    onPick={() => list(r.weekOf, r.kind)}
                  />
                </td>
              </tr>
            ))}
          </Table>
        </>
      )}
    </ChartCard>
  );
}

function BacklogChart({ section }: { section: Charts['backlog'] }) {
  const rows = section.ok ? section.data : [];
  const times = useMemo(() => [...new Set(rows.map((r) => r.at))], [rows]);
  const services = useMemo(() => [...new Set(rows.map((r) => r.service))].sort(), [rows]);
  const datasets = useMemo(
    () =>
      services.flatMap((service) => [
        {
          label: `${service} consumer lag`,
          data: times.map((t) => rows.find((r) => r.at === t && r.service === service)?.consumerLag ?? 0),
        },
        {
          label: `${service} outbox`,
          data: times.map((t) => rows.find((r) => r.at === t && r.service === service)?.outboxBacklog ?? 0),
        },
      ]),
    [rows, times, services],
  );
  const latest = services.flatMap((service) => rows.filter((r) => r.service === service).slice(-1));
  return (
    <ChartCard id="backlog" title="Consumer lag and outbox backlog over time" section={section}>
      {() => (
        <>
          <ChartCanvas
            type="line"
            labels={times.map((t) => when(t))}
            datasets={datasets}
            label="Consumer lag and outbox backlog of each service over time"
          />
          <Table
            caption={`Latest of ${times.length} points`}
            head={['Service', 'Sampled', 'Consumer lag', 'Outbox backlog']}
          >
            {latest.map((r) => (
              <tr key={r.service}>
                <td>{r.service}</td>
                <td>{when(r.at)}</td>
                <td className="num">{r.consumerLag}</td>
                <td className="num">{r.outboxBacklog}</td>
              </tr>
            ))}
          </Table>
        </>
      )}
    </ChartCard>
  );
}

function DeadLettersChart({ section, onDrill }: { section: Charts['deadLetters']; onDrill: (d: Drill) => void }) {
  const rows = section.ok ? section.data : [];
  const labels = useMemo(() => rows.map((r) => r.day), [rows]);
  const datasets = useMemo(() => [{ label: 'dead letters', data: rows.map((r) => r.count) }], [rows]);
  const list = () =>
    onDrill({
      title: 'The latest dead letters of each service',
      load: async () => {
        const summary = await get<{
          deadLetters: Record<
            string,
            Section<{ latest: { topic: string; eventType: string; messageId: string; receivedAt: string }[] }>
          >;
        }>('/v1/ops/summary');
        return {
          head: ['Service', 'Message', 'Topic', 'Type', 'When'],
          rows: Object.entries(summary.deadLetters).flatMap(([service, s]) =>
            s.ok
              ? s.data.latest.map((d) => [
                  service,
                  <Id value={d.messageId} />,
                  d.topic,
                  d.eventType,
                  when(d.receivedAt),
                ])
              : [],
          ),
        };
      },
    });
  return (
    <ChartCard id="dead-letters" title="Dead letters per day" section={section}>
      {() => (
        <>
          <ChartCanvas
            type="bar"
            labels={labels}
            datasets={datasets}
            label="Messages dead-lettered per day"
            onPick={list}
          />
          <Table caption="Dead letters per day" head={['Day', 'Dead letters']}>
            {rows
              .filter((r) => r.count > 0)
              .map((r) => (
                <tr key={r.day}>
                  <td>{r.day}</td>
                  <td className="num">
                    <Count n={r.count} label={`dead letters on ${r.day}`} onPick={list} />
                  </td>
                </tr>
              ))}
          </Table>
        </>
      )}
    </ChartCard>
  );
}

function DrillList({ drill }: { drill: Drill }) {
  const { data, error } = useLoad(drill.load, [drill]);
  return (
    <div className="card" data-testid="drill">
      <h2>{drill.title}</h2>
      <Problem error={error} />
      {data ? (
        <Table caption={`${drill.title} (${data.rows.length})`} head={data.head}>
          {data.rows.map((cells, i) => (
            <tr key={i}>
              {cells.map((c, j) => (
                <td key={j}>{c}</td>
              ))}
            </tr>
          ))}
        </Table>
      ) : null}
    </div>
  );
}

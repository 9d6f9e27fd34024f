import { useState } from 'react';
import { dollars, get } from '../api';
import { Id, Problem, Table } from '../ui';

interface WhatIf {
  credentialId: string;
  on: string;
  status: string;
  missing: { rule?: string; what?: string; explanation?: string }[] | string[];
  feeIfReceivedOn: {
    tier: string;
    receivedOn: string;
    daysAfterExpiration: number;
    lines: { kind: string; amount: number }[];
    total: number;
  } | null;
  tally: { totalCeu: number };
  cprAed: { valid: boolean };
  deadlines: { kind: string; dueOn: string }[];
}

/** What if the trainer applied on a chosen day: what is missing, the fee that day. */
export function WhatIfPage() {
  const [result, setResult] = useState<WhatIf | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <section>
      <h1>What-if</h1>
      <form
        className="inline"
        onSubmit={async (e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          setError(null);
          setResult(null);
          try {
            setResult(
              await get<WhatIf>(
                `/v1/trainers/${encodeURIComponent(String(form.get('trainer')).trim())}/what-if?on=${form.get('on')}`,
              ),
            );
          } catch (err) {
            setError((err as Error).message);
          }
        }}
      >
        <label htmlFor="whatif-trainer">Trainer id</label>
        <input id="whatif-trainer" name="trainer" required />
        <label htmlFor="whatif-on">Day</label>
        <input id="whatif-on" name="on" type="date" required />
        <button type="submit">Show</button>
      </form>
      <Problem error={error} />
      {result ? (
        <div className="card" data-testid="what-if">
          <h2>
            <Id value={result.credentialId} /> on {result.on}: {result.status}
          </h2>
          <p>
            CEUs counted: {(result.tally.totalCeu / 100).toFixed(2)}; CPR/AED{' '}
            {result.cprAed.valid ? 'valid' : 'not valid'}.
          </p>
          <h3>Missing</h3>
          {result.missing.length === 0 ? (
            <p>Nothing: an application received that day would meet the requirements.</p>
          ) : (
            <ul>
              {result.missing.map((m, i) => (
                <li key={i}>
                  {typeof m === 'string' ? m : [m.rule, m.what, m.explanation].filter(Boolean).join(': ')}
                </li>
              ))}
            </ul>
          )}
          <h3>Fee if received that day</h3>
          {result.feeIfReceivedOn ? (
            <p data-testid="what-if-fee">
              {result.feeIfReceivedOn.tier}:{' '}
              {result.feeIfReceivedOn.lines.map((l) => `${l.kind} ${dollars(l.amount)}`).join(' + ')} ={' '}
              {dollars(result.feeIfReceivedOn.total)}
            </p>
          ) : (
            <p>No application would be accepted that day.</p>
          )}
          <Table caption="Deadlines" head={['Kind', 'Due on']}>
            {result.deadlines.map((d, i) => (
              <tr key={i}>
                <td>{d.kind}</td>
                <td>{d.dueOn}</td>
              </tr>
            ))}
          </Table>
        </div>
      ) : null}
    </section>
  );
}

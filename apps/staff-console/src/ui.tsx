import { ReactNode, useCallback, useEffect, useState } from 'react';
import { ApiError } from './api';

/** An id shown whole: never wrapped mid-id (CSS white-space: nowrap), scrolled with its table instead. */
export function Id({ value }: { value: string }) {
  return <code className="id">{value}</code>;
}

/** Loads data for a view; `reload` fetches again after an act. */
export function useLoad<T>(
  load: () => Promise<T>,
  deps: unknown[],
): { data: T | null; error: string | null; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const run = useCallback(load, deps);
  useEffect(() => {
    let live = true;
    setError(null);
    run().then(
      (d) => live && setData(d),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [run, tick]);
  return { data, error, reload: () => setTick((t) => t + 1) };
}

export function Problem({ error }: { error: string | null }) {
  return error ? (
    <p className="problem" role="alert">
      {error}
    </p>
  ) : null;
}

/** A table that scrolls sideways rather than squeezing its ids. */
export function Table({ caption, head, children }: { caption: string; head: string[]; children: ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-label={caption} tabIndex={0}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {head.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** Who did an act and when, as every act shows it. */
export function By({
  by,
  at,
}: {
  by: { name: string; roles?: readonly string[] } | null | undefined;
  at: string | null | undefined;
}) {
  if (!by) return <span>—</span>;
  return (
    <span className="by">
      {by.name}
      {by.roles?.length ? ` (${by.roles.join(', ')})` : ''}
      {at ? `, ${at.slice(0, 10)} ${at.slice(11, 16)} UTC` : ''}
    </span>
  );
}

/** A form for one act with a reason (or note): runs it, shows the server's refusal if any. */
export function ActForm({
  label,
  reasonLabel,
  reasonRequired,
  extra,
  onAct,
  idPrefix,
  reasonType = 'text',
}: {
  label: string;
  reasonLabel: string;
  reasonRequired: boolean;
  extra?: ReactNode;
  onAct: (reason: string, form: FormData) => Promise<unknown>;
  idPrefix: string;
  reasonType?: string;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="act"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        setBusy(true);
        setError(null);
        try {
          await onAct(String(form.get('reason') ?? '').trim(), form);
        } catch (err) {
          setError(err instanceof ApiError ? `${err.status}: ${err.message}` : (err as Error).message);
        } finally {
          setBusy(false);
        }
      }}
    >
      {extra}
      <label htmlFor={`${idPrefix}-reason`}>{reasonLabel}</label>
      <input id={`${idPrefix}-reason`} name="reason" type={reasonType} required={reasonRequired} maxLength={1000} />
      <button type="submit" disabled={busy}>
        {label}
      </button>
      <Problem error={error} />
    </form>
  );
}

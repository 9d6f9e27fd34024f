/** The console's one way to the public API: same origin, the session cookie, the CSRF token on acts. */

export interface Session {
  signedIn: boolean;
  name?: string;
  email?: string;
  roles?: string[];
  csrfToken?: string;
  idleMinutes?: number;
  endsAt?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Why the session ended, when this request found it ended ('idle' or 'absolute'). */
    readonly sessionEnded: string | null,
  ) {
    super(message);
  }
}

let csrfToken = '';
let onSessionEnded: (reason: string) => void = () => undefined;

export function bindSession(session: Session, ended: (reason: string) => void): void {
  csrfToken = session.csrfToken ?? '';
  onSessionEnded = ended;
}

function messageOf(body: unknown, status: number): string {
  const message = (body as { message?: unknown } | null)?.message;
  if (Array.isArray(message)) return message.join('; ');
  if (typeof message === 'string') return message;
  return `the server answered ${status}`;
}

export async function api<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: {
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(method === 'GET' ? {} : { 'x-csrf-token': csrfToken }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const parsed: unknown = text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
  if (!response.ok) {
    const ended = response.headers.get('x-recert-session-ended');
    if (response.status === 401) onSessionEnded(ended ?? 'signed-out');
    throw new ApiError(response.status, messageOf(parsed, response.status), ended);
  }
  return parsed as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body: unknown = {}) => api<T>('POST', path, body);

/** Cents as dollars: 14900 → "$149.00". */
export function dollars(cents: number | null | undefined): string {
  if (cents === null || cents === undefined) return '—';
  return `$${(cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** An instant as the staff read it: 2026-11-20 10:00 UTC. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

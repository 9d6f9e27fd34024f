import { useState } from 'react';
import { ApiError, post, Session } from '../api';

const ENDED: Record<string, string> = {
  idle: 'Your session ended after a while without use. Please sign in again.',
  absolute: 'Your session reached its time limit. Please sign in again.',
  'signed-out': 'You are signed out.',
};

export function SignInPage({ ended, onSignedIn }: { ended: string | null; onSignedIn: (s: Session) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <main id="main" className="sign-in">
      <h1>Recert staff console</h1>
      {ended && ENDED[ended] ? (
        <p role="status" className="notice">
          {ENDED[ended]}
        </p>
      ) : null}
      <form
        aria-label="Sign in"
        onSubmit={async (e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          setBusy(true);
          setError(null);
          try {
            onSignedIn(
              await post<Session>('/v1/session', { email: form.get('email'), password: form.get('password') }),
            );
          } catch (err) {
            setError(err instanceof ApiError ? err.message : 'the server did not answer');
          } finally {
            setBusy(false);
          }
        }}
      >
        <label htmlFor="email">E-mail</label>
        <input id="email" name="email" type="email" autoComplete="username" required />
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        {error ? (
          <p className="problem" role="alert">
            {error}
          </p>
        ) : null}
      </form>
    </main>
  );
}

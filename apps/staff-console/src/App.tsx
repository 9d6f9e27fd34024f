import { ReactElement, useCallback, useEffect, useState } from 'react';
import { api, bindSession, get, Session } from './api';
import { Id } from './ui';
import { AuditsPage } from './pages/AuditsPage';
import { OpsPage } from './pages/OpsPage';
import { PetitionsPage } from './pages/PetitionsPage';
import { SignInPage } from './pages/SignInPage';
import { StaffPage } from './pages/StaffPage';
import { TrainerPage } from './pages/TrainerPage';
import { WhatIfPage } from './pages/WhatIfPage';

interface PageDef {
  path: string;
  title: string;
  roles: string[];
  render: (session: Session) => ReactElement;
}

/** Each page and who sees it; the server refuses the same pages and their data to everyone else. */
const PAGES: PageDef[] = [
  {
    path: '/console/petitions',
    title: 'Petitions',
    roles: ['reviewer', 'ops'],
    render: (s) => <PetitionsPage session={s} />,
  },
  { path: '/console/audits', title: 'Audits', roles: ['reviewer', 'ops'], render: (s) => <AuditsPage session={s} /> },
  { path: '/console/trainers', title: 'Trainer lookup', roles: ['reviewer', 'ops'], render: () => <TrainerPage /> },
  { path: '/console/what-if', title: 'What-if', roles: ['reviewer', 'ops'], render: () => <WhatIfPage /> },
  { path: '/console/ops', title: 'Ops dashboard', roles: ['ops'], render: () => <OpsPage /> },
  { path: '/console/staff', title: 'Staff', roles: ['admin'], render: () => <StaffPage /> },
];

const allowed = (session: Session, page: PageDef) => page.roles.some((r) => session.roles?.includes(r));

/** Where a person lands: reviewers at the petition queue, ops at the dashboard, admins at staff. */
function home(session: Session): string {
  if (session.roles?.includes('reviewer')) return '/console/petitions';
  if (session.roles?.includes('ops')) return '/console/ops';
  return '/console/staff';
}

export function App(): ReactElement {
  const [session, setSession] = useState<Session | null>(null);
  const [ended, setEnded] = useState<string | null>(null);
  const [path, setPath] = useState(window.location.pathname + window.location.search);

  const navigate = useCallback((to: string) => {
    window.history.pushState(null, '', to);
    setPath(to);
    window.scrollTo(0, 0);
  }, []);

  useEffect(() => {
    const back = () => setPath(window.location.pathname + window.location.search);
    window.addEventListener('popstate', back);
    get<Session>('/v1/session').then(setSession, () => setSession({ signedIn: false }));
    return () => window.removeEventListener('popstate', back);
  }, []);

  const signedIn = (s: Session) => {
    setEnded(null);
    setSession(s);
    const pathname = window.location.pathname;
    if (!PAGES.some((p) => p.path === pathname && allowed(s, p))) navigate(home(s));
  };

  if (session)
    bindSession(session, (reason) => {
      // Requests in flight all find the session gone; the one that ended it says why.
      setEnded((earlier) => (earlier && earlier !== 'signed-out' ? earlier : reason));
      setSession({ signedIn: false });
    });

  if (!session) return <p role="status">Loading…</p>;
  if (!session.signedIn) return <SignInPage ended={ended} onSignedIn={signedIn} />;

  const pathname = path.split('?')[0];
  const page = PAGES.find((p) => p.path === pathname) ?? PAGES.find((p) => p.path === home(session));
  const signOut = async () => {
    await api('POST', '/v1/session/sign-out').catch(() => undefined);
    setEnded('signed-out');
    setSession({ signedIn: false });
  };

  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Recert staff console</span>
        <nav aria-label="Pages">
          <ul>
            {PAGES.filter((p) => allowed(session, p)).map((p) => (
              <li key={p.path}>
                <a
                  href={p.path}
                  aria-current={page?.path === p.path ? 'page' : undefined}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(p.path);
                  }}
                >
                  {p.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span className="who" data-testid="who">
          {session.name} (<Id value={session.email ?? ''} />) · {session.roles?.join(', ')}
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {page && allowed(session, page) ? (
          page.render(session)
        ) : (
          <section>
            <h1>Not allowed</h1>
            <p role="alert">This page is not for your roles ({session.roles?.join(', ')}).</p>
          </section>
        )}
      </main>
    </>
  );
}

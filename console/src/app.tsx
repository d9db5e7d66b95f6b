import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { createApi } from './api.ts';
import { CohortPage } from './cohort-page.tsx';
import { CohortsPage } from './cohorts-page.tsx';
import { LaunchPage } from './launch-page.tsx';
import { ReportPage } from './report-page.tsx';
import type { Session } from './session.ts';

/** The page the address names: `#/`, `#/launch`, `#/cohorts/ID`, `#/cohorts/ID/report`. */
type Route =
  | { page: 'cohorts' }
  | { page: 'launch' }
  | { page: 'cohort'; cohortId: string }
  | { page: 'report'; cohortId: string };

function routeOf(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'launch') return { page: 'launch' };
  if (parts[0] === 'cohorts' && parts[1]) {
    return parts[2] === 'report'
      ? { page: 'report', cohortId: parts[1] }
      : { page: 'cohort', cohortId: parts[1] };
  }
  return { page: 'cohorts' };
}

export function App({ session }: { session: Session }) {
  const [route, setRoute] = useState(() => routeOf(location.hash));
  const api = useMemo(() => createApi(session), [session]);
  const main = useRef<HTMLElement>(null);
  useEffect(() => {
    const onChange = () => {
      setRoute(routeOf(location.hash));
      // A new page: keyboard and screen reader users start at its top, not on the old link.
      main.current?.focus();
    };
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);

  if (!session.user) {
    return (
      <main class="signed-out">
        <h1>Tandem console</h1>
        <p>Run your mentorship cohorts: intake, matching, check-ins and the report, in one place.</p>
        <button type="button" class="primary" onClick={() => void session.signIn()}>
          Sign in
        </button>
      </main>
    );
  }
  return (
    <>
      <button type="button" class="skip" onClick={() => main.current?.focus()}>
        Skip to content
      </button>
      <header class="top">
        <nav aria-label="Console">
          <a href="#/" class="brand">
            Tandem
          </a>
          <a href="#/">Cohorts</a>
          {session.admin && <a href="#/launch">Launch a cohort</a>}
        </nav>
        <div class="who">
          <span>{session.email}</span>
          <button type="button" onClick={() => void session.signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {route.page === 'cohorts' && <CohortsPage api={api} admin={session.admin} />}
        {route.page === 'launch' && <LaunchPage api={api} />}
        {route.page === 'cohort' && <CohortPage api={api} cohortId={route.cohortId} />}
        {route.page === 'report' && <ReportPage api={api} cohortId={route.cohortId} />}
      </main>
    </>
  );
}

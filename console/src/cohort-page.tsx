import { useState } from 'preact/hooks';
import type { CohortStatus } from '../../shared/use-cases/get-cohort-status.ts';
import type { ImportReport } from '../../shared/use-cases/import-applications.ts';
import type { Applicant } from '../../shared/use-cases/list-applicants.ts';
import type { Api } from './api.ts';
import { DraftSection } from './draft-section.tsx';
import { PairsSection } from './pairs-section.tsx';
import { day, Loading, Scroll } from './parts.tsx';
import { useAction } from './use-action.tsx';
import { useLoad } from './use-load.ts';

/** One cohort: where it stands, its applicants, the match draft, its pairs, notices, controls. */
export function CohortPage({ api, cohortId }: { api: Api; cohortId: string }) {
  const path = `/cohorts/${encodeURIComponent(cohortId)}`;
  const [status, reloadStatus] = useLoad(() => api<CohortStatus>('GET', path), cohortId);
  return (
    <>
      <p class="crumbs">
        <a href="#/">Cohorts</a> › {cohortId}
      </p>
      <Loading loaded={status} what="the cohort">
        {(cohort) => (
          <>
            <h1>{cohort.name}</h1>
            <ul class="cards" aria-label="At a glance">
              <li class="card">
                Phase <strong>{cohort.phase}</strong>
              </li>
              <li class="card">
                Intake{' '}
                <strong>
                  {day(cohort.intake.opens)} → {day(cohort.intake.closes)}
                </strong>
                {cohort.intake.state.replaceAll('_', ' ')}
              </li>
              <li class="card">
                Starts <strong>{day(cohort.start)}</strong>
                {cohort.lengthMonths} months, {cohort.cadence} check-ins
              </li>
              <li class="card">
                Participants <strong>{cohort.participants.mentors + cohort.participants.mentees}</strong>
                {cohort.participants.mentors} mentors, {cohort.participants.mentees} mentees,{' '}
                {cohort.participants.confirmed} confirmed
              </li>
            </ul>
            <p>
              <a href={`#${path}/report`}>Read the report</a>
            </p>
            {(cohort.phase === 'running' || cohort.phase === 'closed') && (
              <PairsSection api={api} path={path} />
            )}
            <Applicants api={api} path={path} onImported={reloadStatus} />
            {cohort.phase !== 'closed' && (
              <DraftSection api={api} path={path} phase={cohort.phase} onApproved={reloadStatus} />
            )}
            <Notices api={api} path={path} cohort={cohort} onResent={reloadStatus} />
            <Controls api={api} path={path} cohort={cohort} onChanged={reloadStatus} />
          </>
        )}
      </Loading>
    </>
  );
}

function Applicants({ api, path, onImported }: { api: Api; path: string; onImported: () => Promise<void> }) {
  const [loaded, reload] = useLoad(
    () => api<{ applicants: Applicant[] }>('GET', `${path}/applicants`),
    `${path}/applicants`,
  );
  const action = useAction();
  const [file, setFile] = useState<File>();
  const importFile = () =>
    action.run(async () => {
      if (!file) throw new Error('Choose a CSV file of applications first.');
      const report = await api<ImportReport>('POST', `${path}/imports`, await file.text(), 'text/csv');
      await Promise.all([reload(), onImported()]);
      const rejected = report.rejected.map((row) => `line ${row.line}`);
      return `Imported ${file.name}: ${report.created} new, ${report.updated} updated${
        rejected.length > 0 ? `; rows refused at ${rejected.join(', ')}` : ''
      }. Each new applicant gets an email to confirm.`;
    });
  return (
    <section aria-labelledby="applicants">
      <h2 id="applicants">Applicants</h2>
      <form
        class="row"
        onSubmit={(event) => {
          event.preventDefault();
          void importFile();
        }}
      >
        <label for="import-file">Import applications (CSV)</label>
        <input
          id="import-file"
          type="file"
          accept=".csv,text/csv"
          onChange={(event) => setFile((event.currentTarget as HTMLInputElement).files?.[0])}
        />
        <button type="submit" disabled={action.busy || !file}>
          Import
        </button>
      </form>
      {action.view}
      <Loading loaded={loaded} what="the applicants">
        {({ applicants }) =>
          applicants.length === 0 ? (
            <p>Nobody has applied yet.</p>
          ) : (
            <Scroll label="Applicants">
              <table>
                <caption>
                  {applicants.length} applicants, {applicants.filter((a) => a.confirmed).length} confirmed
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Role</th>
                    <th scope="col">Confirmed</th>
                    <th scope="col" class="n">
                      Years
                    </th>
                    <th scope="col">Topics</th>
                    <th scope="col">Languages · time zone</th>
                    <th scope="col">Organization</th>
                  </tr>
                </thead>
                <tbody>
                  {applicants.map((a) => (
                    <tr key={a.email}>
                      <th scope="row">
                        {a.name}
                        <div class="id">{a.email}</div>
                      </th>
                      <td>
                        {a.role}
                        {a.role === 'mentor' && a.capacity !== undefined && (
                          <div class="id">{a.capacity} places</div>
                        )}
                      </td>
                      <td>
                        {a.confirmed ? 'yes' : 'not yet'}
                        {a.exitedAt && <div class="id">left</div>}
                        {a.pausedAt && <div class="id">paused</div>}
                        {(a.unsubscribedAt || a.undeliverableAt) && <div class="id">not mailed</div>}
                      </td>
                      <td class="n">{a.years_experience}</td>
                      <td>{a.topics.join('; ')}</td>
                      <td>
                        {a.languages.join(', ')}
                        <div class="id">{a.timezone}</div>
                      </td>
                      <td>{a.organization ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Scroll>
          )
        }
      </Loading>
    </section>
  );
}

function Notices({
  api,
  path,
  cohort,
  onResent,
}: {
  api: Api;
  path: string;
  cohort: CohortStatus;
  onResent: () => Promise<void>;
}) {
  const action = useAction();
  const resend = () =>
    action.run(async () => {
      const result = await api<{ message: string }>('POST', `${path}/resend`);
      await onResent();
      return result.message;
    });
  return (
    <section aria-labelledby="notices">
      <h2 id="notices">Notices and dead letters</h2>
      {cohort.deadLetters > 0 ? (
        <div class="row">
          <p>
            {cohort.deadLetters} {cohort.deadLetters === 1 ? 'email' : 'emails'} could not be sent. Once the
            cause is fixed (see the notices), send them again.
          </p>
          <button type="button" onClick={() => void resend()} disabled={action.busy}>
            Resend dead letters
          </button>
        </div>
      ) : (
        <p>No dead letters: every email went out.</p>
      )}
      {action.view}
      {cohort.notices.length === 0 ? (
        <p>No notices.</p>
      ) : (
        <ul>
          {[...cohort.notices].reverse().map((notice) => (
            <li key={`${notice.at}${notice.message}`}>
              <time dateTime={notice.at}>{notice.at.slice(0, 16).replace('T', ' ')}</time> {notice.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Controls({
  api,
  path,
  cohort,
  onChanged,
}: {
  api: Api;
  path: string;
  cohort: CohortStatus;
  onChanged: () => Promise<void>;
}) {
  const action = useAction();
  const [weeks, setWeeks] = useState(2);
  const [ending, setEnding] = useState(false);
  const control = (name: 'pause' | 'resume' | 'end' | 'extension', done: string, body?: unknown) =>
    action.run(async () => {
      await api('POST', `${path}/${name}`, body);
      setEnding(false);
      await onChanged();
      return done;
    });
  if (cohort.phase === 'closed') return null;
  return (
    <section aria-labelledby="controls">
      <h2 id="controls">Pause, resume, extend or end</h2>
      <div class="row">
        <button
          type="button"
          disabled={action.busy}
          onClick={() => void control('pause', 'The cohort is paused.')}
        >
          Pause
        </button>
        <button
          type="button"
          disabled={action.busy}
          onClick={() => void control('resume', 'The cohort runs again.')}
        >
          Resume
        </button>
      </div>
      <form
        class="row"
        onSubmit={(event) => {
          event.preventDefault();
          void control('extension', `The cohort is extended by ${weeks} weeks.`, { weeks });
        }}
      >
        <label for="extend-weeks">Extend by (weeks)</label>
        <input
          id="extend-weeks"
          type="number"
          min={1}
          max={26}
          value={weeks}
          onInput={(event) => setWeeks(Number((event.currentTarget as HTMLInputElement).value))}
        />
        <button type="submit" disabled={action.busy}>
          Extend
        </button>
      </form>
      <div class="row">
        {ending ? (
          <>
            <span>End the cohort early? The close-out survey goes out and no more check-ins.</span>
            <button
              type="button"
              class="danger"
              disabled={action.busy}
              onClick={() => void control('end', 'The cohort is ending: the close-out survey goes out.')}
            >
              Yes, end the cohort
            </button>
            <button type="button" onClick={() => setEnding(false)}>
              Keep it running
            </button>
          </>
        ) : (
          <button type="button" class="danger" onClick={() => setEnding(true)}>
            End early…
          </button>
        )}
      </div>
      {action.view}
    </section>
  );
}

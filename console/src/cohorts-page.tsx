import type { CohortSummary } from '../../shared/use-cases/list-cohorts.ts';
import type { Api } from './api.ts';
import { day, Loading, percent, Scroll } from './parts.tsx';
import { useLoad } from './use-load.ts';

/** Every cohort the organizer runs: where each is, and what waits for a decision. */
export function CohortsPage({ api, admin }: { api: Api; admin: boolean }) {
  const [loaded] = useLoad(() => api<{ cohorts: CohortSummary[] }>('GET', '/cohorts'), 'cohorts');
  return (
    <>
      <h1>Cohorts</h1>
      <Loading loaded={loaded} what="your cohorts">
        {({ cohorts }) =>
          cohorts.length === 0 ? (
            <p>
              You organize no cohort yet.{' '}
              {admin ? (
                <a href="#/launch">Launch one from a program file.</a>
              ) : (
                'An admin launches a cohort; its program lists you among its organizers.'
              )}
            </p>
          ) : (
            <Scroll label="Cohorts">
              <table class="cohorts">
                <caption>The cohorts you organize, oldest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Cohort</th>
                    <th scope="col">Phase</th>
                    <th scope="col">Dates</th>
                    <th scope="col" class="n">
                      Participants
                    </th>
                    <th scope="col" class="n">
                      Response rate this round
                    </th>
                    <th scope="col">Needs a decision</th>
                  </tr>
                </thead>
                <tbody>
                  {cohorts.map((cohort) => (
                    <tr key={cohort.id}>
                      <th scope="row">
                        <a href={`#/cohorts/${encodeURIComponent(cohort.id)}`}>{cohort.name}</a>
                        <div class="id">{cohort.id}</div>
                      </th>
                      <td>
                        <span class={`phase ${cohort.phase}`}>{cohort.phase}</span>
                      </td>
                      <td>
                        Intake {day(cohort.intake.opens)} → {day(cohort.intake.closes)}
                        <br />
                        Runs {day(cohort.start)} → {day(cohort.end)}
                      </td>
                      <td class="n">
                        {cohort.participants.mentors} mentors, {cohort.participants.mentees} mentees
                        <br />
                        {cohort.participants.confirmed} confirmed
                      </td>
                      <td class="n">
                        {cohort.round ? (
                          <>
                            {percent(cohort.round.responseRate)}
                            <div class="id">round {cohort.round.number}</div>
                          </>
                        ) : (
                          '–'
                        )}
                      </td>
                      <td>
                        {cohort.decisions.length === 0 ? (
                          <span class="quiet">Nothing</span>
                        ) : (
                          <ul class="decisions">
                            {cohort.decisions.map((decision) => (
                              <li key={decision}>{decision}</li>
                            ))}
                          </ul>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Scroll>
          )
        }
      </Loading>
    </>
  );
}

import { useState } from 'preact/hooks';
import type { CohortPhase } from '../../shared/cohorts/cohort.ts';
import type { DraftWithComparison } from '../../shared/use-cases/compare-drafts.ts';
import { type Api, ApiError } from './api.ts';
import { Loading, Scroll } from './parts.tsx';
import { useAction } from './use-action.tsx';
import { useLoad } from './use-load.ts';

/**
 * The match draft: every pair with its score and reasons; pin or forbid a pair, change a
 * mentor's places, make a new draft with those settings, compare two drafts, approve one.
 */
export function DraftSection({
  api,
  path,
  phase,
  onApproved,
}: {
  api: Api;
  path: string;
  phase: CohortPhase;
  onApproved: () => Promise<void>;
}) {
  const [compareWith, setCompareWith] = useState<number>();
  const [loaded, reload] = useLoad(
    async () => {
      try {
        const query = compareWith ? `?compareWith=${compareWith}` : '';
        return await api<DraftWithComparison>('GET', `${path}/drafts/latest${query}`);
      } catch (error) {
        // No draft yet is a state of the cohort, not a failure.
        if (error instanceof ApiError && error.status === 404) return undefined;
        throw error;
      }
    },
    `${path}/drafts/${compareWith ?? ''}`,
  );
  const action = useAction();
  const [capacity, setCapacity] = useState({ mentor: '', places: 1 });
  const act = (run: () => Promise<string>) =>
    action.run(async () => {
      const text = await run();
      await reload();
      return text;
    });
  const newDraft = () =>
    act(async () => {
      const { draft } = await api<DraftWithComparison>('POST', `${path}/drafts`);
      return `Draft ${draft.number} is ready: ${draft.summary.matched} pairs, mean score ${draft.summary.meanScore}.`;
    });
  const setting = (kind: 'pins' | 'forbids', pair: { mentee: string; mentor: string }, remove = false) =>
    act(async () => {
      const { mentee, mentor } = pair;
      await api('POST', `${path}/${kind}`, { mentee, mentor, ...(remove ? { remove: true } : {}) });
      const what = kind === 'pins' ? (remove ? 'Pin removed' : 'Pinned') : 'Forbidden';
      return `${what}: ${pair.mentee} with ${pair.mentor}. Make a new draft to see it applied.`;
    });
  return (
    <section aria-labelledby="draft">
      <h2 id="draft">Match draft</h2>
      {action.view}
      <Loading loaded={loaded} what="the match draft">
        {(current) => {
          if (!current) {
            return (
              <>
                <p>
                  No draft yet. The workflow makes one when intake closes
                  {phase === 'intake' ? '; you can make one earlier from the confirmed applicants.' : '.'}
                </p>
                <button type="button" onClick={() => void newDraft()} disabled={action.busy}>
                  Make a draft now
                </button>
              </>
            );
          }
          const { draft, comparison, comparedWith } = current;
          const approved = draft.status === 'approved';
          const mentors = [...new Set(draft.pairs.map((pair) => pair.mentor))].sort();
          return (
            <>
              <p>
                Draft {draft.number}
                {approved ? ` (approved ${draft.approvedAt?.slice(0, 10) ?? ''})` : ''}:{' '}
                {draft.summary.matched} pairs of {draft.summary.mentees} mentees, mean score{' '}
                {draft.summary.meanScore}
                {draft.summary.unmatched > 0 ? `, ${draft.summary.unmatched} unmatched` : ''}.
              </p>
              {!approved && (
                <div class="row">
                  <button
                    type="button"
                    class="primary"
                    disabled={action.busy}
                    onClick={() =>
                      void act(async () => {
                        await api('POST', `${path}/drafts/${draft.number}/approval`);
                        await onApproved();
                        return `Draft ${draft.number} is approved: the introductions go out on the start date.`;
                      })
                    }
                  >
                    Approve draft {draft.number}
                  </button>
                  <button type="button" disabled={action.busy} onClick={() => void newDraft()}>
                    Make a new draft
                  </button>
                  {draft.number > 1 && (
                    <label class="row">
                      Compare with
                      <select
                        value={compareWith ?? ''}
                        onChange={(event) => {
                          const value = Number((event.currentTarget as HTMLSelectElement).value);
                          setCompareWith(value > 0 ? value : undefined);
                        }}
                      >
                        <option value="">the previous draft</option>
                        {Array.from({ length: draft.number - 1 }, (_, i) => i + 1).map((n) => (
                          <option key={n} value={n}>
                            draft {n}
                          </option>
                        ))}
                      </select>
                    </label>
                  )}
                </div>
              )}
              {comparison && (
                <div class="comparison">
                  <h3>Compared with draft {comparedWith}</h3>
                  <p>
                    {comparison.unchanged} pairs unchanged, {comparison.changed.length} mentees with another
                    mentor, {comparison.added.length} newly matched, {comparison.removed.length} no longer
                    matched; mean score {signed(comparison.meanScoreDelta)}.
                  </p>
                  {comparison.changed.length > 0 && (
                    <ul>
                      {comparison.changed.map((change) => (
                        <li key={change.mentee}>
                          {change.mentee}: {change.from.mentor} → {change.to.mentor} (
                          {signed(change.scoreDelta)})
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
              )}
              <Scroll label="Pairs of the draft">
                <table>
                  <caption>The pairs of draft {draft.number}, with their scores and reasons</caption>
                  <thead>
                    <tr>
                      <th scope="col">Mentee</th>
                      <th scope="col">Mentor</th>
                      <th scope="col" class="n">
                        Score
                      </th>
                      <th scope="col">Why</th>
                      {!approved && <th scope="col">Review</th>}
                    </tr>
                  </thead>
                  <tbody>
                    {draft.pairs.map((pair) => (
                      <tr key={pair.mentee}>
                        <th scope="row">{pair.mentee}</th>
                        <td>{pair.mentor}</td>
                        <td class="n">{pair.score}</td>
                        <td>
                          <ul class="reasons">
                            {pair.reasons.map((reason) => (
                              <li key={reason}>{reason}</li>
                            ))}
                          </ul>
                        </td>
                        {!approved && (
                          <td>
                            <div class="row">
                              <button
                                type="button"
                                disabled={action.busy}
                                aria-label={`${pair.pinned ? 'Unpin' : 'Pin'} ${pair.mentee} with ${pair.mentor}`}
                                onClick={() => void setting('pins', pair, pair.pinned)}
                              >
                                {pair.pinned ? 'Unpin' : 'Pin'}
                              </button>
                              <button
                                type="button"
                                disabled={action.busy}
                                aria-label={`Forbid ${pair.mentee} with ${pair.mentor}`}
                                onClick={() => void setting('forbids', pair)}
                              >
                                Forbid
                              </button>
                            </div>
                          </td>
                        )}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </Scroll>
              {draft.unmatched.length > 0 && (
                <>
                  <h3>Unmatched mentees</h3>
                  <ul>
                    {draft.unmatched.map((u) => (
                      <li key={u.mentee}>
                        {u.mentee}: {u.reason}
                      </li>
                    ))}
                  </ul>
                </>
              )}
              {!approved && (
                <form
                  class="row"
                  onSubmit={(event) => {
                    event.preventDefault();
                    void act(async () => {
                      await api('POST', `${path}/capacities`, {
                        mentor: capacity.mentor,
                        capacity: capacity.places,
                      });
                      return `${capacity.mentor} now has ${capacity.places} places. Make a new draft to see it applied.`;
                    });
                  }}
                >
                  <label for="capacity-mentor">Mentor</label>
                  <select
                    id="capacity-mentor"
                    value={capacity.mentor}
                    onChange={(event) =>
                      setCapacity({ ...capacity, mentor: (event.currentTarget as HTMLSelectElement).value })
                    }
                  >
                    <option value="">choose a mentor</option>
                    {mentors.map((mentor) => (
                      <option key={mentor} value={mentor}>
                        {mentor}
                      </option>
                    ))}
                  </select>
                  <label for="capacity-places">Places</label>
                  <input
                    id="capacity-places"
                    type="number"
                    min={0}
                    max={5}
                    value={capacity.places}
                    onInput={(event) =>
                      setCapacity({
                        ...capacity,
                        places: Number((event.currentTarget as HTMLInputElement).value),
                      })
                    }
                  />
                  <button type="submit" disabled={action.busy || !capacity.mentor}>
                    Change capacity
                  </button>
                </form>
              )}
            </>
          );
        }}
      </Loading>
    </section>
  );
}

const signed = (delta: number) => `${delta > 0 ? '+' : ''}${delta}`;

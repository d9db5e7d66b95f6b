import { useEffect, useRef, useState } from 'preact/hooks';
import type { Pair } from '../../shared/cohorts/pair.ts';
import type { PairRow } from '../../shared/use-cases/list-pairs.ts';
import type { RematchOutcome } from '../../shared/use-cases/rematch.ts';
import type { Api } from './api.ts';
import { Loading, Scroll } from './parts.tsx';
import { useAction } from './use-action.tsx';
import { useLoad } from './use-load.ts';

/**
 * The cohort's pairs as they run: each with its engagement-ladder rung, last meeting and last
 * answer, and what an organizer can do — nudge both sides, close the pair at no one's fault,
 * rematch one person — and the rematches waiting for approval.
 */
export function PairsSection({ api, path }: { api: Api; path: string }) {
  const [atRiskOnly, setAtRiskOnly] = useState(false);
  const [loaded, reload] = useLoad(
    () => api<{ pairs: PairRow[] }>('GET', `${path}/pairs${atRiskOnly ? '?atRisk=true' : ''}`),
    `${path}/pairs/${atRiskOnly}`,
  );
  const action = useAction();
  const [closing, setClosing] = useState<{ pairId: string; reason: string }>();
  // Asking for a reason: the keyboard goes to its field.
  const reasonField = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (closing) reasonField.current?.focus();
  }, [closing?.pairId]);
  const act = (run: () => Promise<string>) =>
    action.run(async () => {
      const text = await run();
      setClosing(undefined);
      await reload();
      return text;
    });
  const pairPath = (pair: PairRow) => `${path}/pairs/${encodeURIComponent(pair.pairId)}`;
  const who = (pair: PairRow) => `${pair.mentee.name} and ${pair.mentor.name}`;
  const proposals = (outcome: RematchOutcome) => {
    const { proposed, unplaceable, approved } = outcome.proposals;
    return [
      proposed.length > 0 ? `${proposed.length} new partners proposed: approve them below` : '',
      approved.length > 0 ? `${approved.length} new pairs formed` : '',
      unplaceable.length > 0 ? `${unplaceable.length} nobody can take yet` : '',
    ]
      .filter(Boolean)
      .join('; ');
  };
  return (
    <section aria-labelledby="pairs">
      <h2 id="pairs">Pairs</h2>
      <div class="row">
        <label class="row">
          <input
            type="checkbox"
            checked={atRiskOnly}
            onChange={(event) => setAtRiskOnly((event.currentTarget as HTMLInputElement).checked)}
          />
          Only pairs at risk
        </label>
        <button
          type="button"
          disabled={action.busy}
          onClick={() =>
            void act(async () => {
              const { pairs } = await api<{ pairs: Pair[] }>('POST', `${path}/rematches/approve`);
              return pairs.length === 0
                ? 'No rematch was waiting for approval.'
                : `${pairs.length} new ${pairs.length === 1 ? 'pair' : 'pairs'} formed and introduced.`;
            })
          }
        >
          Approve proposed rematches
        </button>
      </div>
      {action.view}
      <Loading loaded={loaded} what="the pairs">
        {({ pairs }) =>
          pairs.length === 0 ? (
            <p>{atRiskOnly ? 'No pair is at risk.' : 'No pairs yet: they form when a draft is approved.'}</p>
          ) : (
            <Scroll label="Pairs">
              <table>
                <caption>
                  {pairs.length} {atRiskOnly ? 'pairs at risk' : 'pairs'}, at-risk ones first
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Pair</th>
                    <th scope="col">Ladder</th>
                    <th scope="col">Last meeting · answer</th>
                    <th scope="col">Act</th>
                  </tr>
                </thead>
                <tbody>
                  {pairs.map((pair) => (
                    <tr key={pair.pairId} class={pair.atRisk ? 'at-risk' : ''}>
                      <th scope="row">
                        {pair.mentee.name} &amp; {pair.mentor.name}
                        <div class="id">
                          {pair.mentee.email} · {pair.mentor.email} · score {pair.score}
                          {pair.origin === 'rematch' ? ' · rematch' : ''}
                        </div>
                      </th>
                      <td>
                        {pair.status === 'ended' ? 'ended' : rungLabel(pair.rung)}
                        {pair.atRisk && <strong class="risk"> at risk</strong>}
                        {pair.reason && <div class="id">{pair.reason}</div>}
                      </td>
                      <td>
                        {pair.lastMeeting ? `met in round ${pair.lastMeeting.round}` : 'no meeting reported'}
                        <div class="id">
                          {pair.lastAnswer ? `answered round ${pair.lastAnswer.round}` : 'no answer yet'}
                          {pair.silentRounds > 0 ? ` · ${pair.silentRounds} silent rounds` : ''}
                        </div>
                      </td>
                      <td>
                        {pair.status === 'active' &&
                          (closing?.pairId === pair.pairId ? (
                            <form
                              class="row"
                              onSubmit={(event) => {
                                event.preventDefault();
                                void act(async () => {
                                  const reason = closing.reason.trim();
                                  const outcome = await api<RematchOutcome>(
                                    'POST',
                                    `${pairPath(pair)}/close`,
                                    reason ? { reason } : {},
                                  );
                                  const next = proposals(outcome);
                                  return `The pair of ${who(pair)} is closed at no one's fault; both wait for a new partner${next ? `: ${next}` : ''}.`;
                                });
                              }}
                            >
                              <label for={`reason-${pair.pairId}`}>Reason (optional)</label>
                              <input
                                ref={reasonField}
                                id={`reason-${pair.pairId}`}
                                value={closing.reason}
                                onInput={(event) =>
                                  setClosing({
                                    ...closing,
                                    reason: (event.currentTarget as HTMLInputElement).value,
                                  })
                                }
                              />
                              <button type="submit" class="danger" disabled={action.busy}>
                                Close the pair
                              </button>
                              <button type="button" onClick={() => setClosing(undefined)}>
                                Keep it
                              </button>
                            </form>
                          ) : (
                            <div class="row">
                              <button
                                type="button"
                                disabled={action.busy}
                                aria-label={`Nudge ${who(pair)}`}
                                onClick={() =>
                                  void act(async () => {
                                    const result = await api<{ summary: string }>(
                                      'POST',
                                      `${pairPath(pair)}/nudge`,
                                    );
                                    return result.summary;
                                  })
                                }
                              >
                                Nudge
                              </button>
                              <button
                                type="button"
                                disabled={action.busy}
                                aria-label={`Close the pair of ${who(pair)}…`}
                                onClick={() => setClosing({ pairId: pair.pairId, reason: '' })}
                              >
                                Close…
                              </button>
                              <button
                                type="button"
                                disabled={action.busy}
                                aria-label={`Rematch ${pair.mentee.name}`}
                                onClick={() =>
                                  void act(async () => {
                                    const outcome = await api<RematchOutcome>('POST', `${path}/rematches`, {
                                      participant: pair.mentee.email,
                                    });
                                    const next = proposals(outcome);
                                    return `${pair.mentee.name} waits for a new mentor${next ? `: ${next}` : ''}.`;
                                  })
                                }
                              >
                                Rematch mentee
                              </button>
                            </div>
                          ))}
                      </td>
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

/** A ladder rung in words: `partnerAsked` → "partner asked"; none: the pair is fine. */
const rungLabel = (rung: string | null) =>
  rung === null ? 'fine' : rung.replaceAll(/[A-Z]/g, (letter) => ` ${letter.toLowerCase()}`);

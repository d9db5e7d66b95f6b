import { isMailable, type Participant } from '../cohorts/cohort.ts';
import type { Pair, PairEndKind } from '../cohorts/pair.ts';
import type { RematchReason, RematchRequest } from '../cohorts/rematch.ts';
import { notFound } from '../errors.ts';
import type { Clock, CohortStore, NoticeBoard, PairStore, RematchStore } from '../ports.ts';
import { stableId } from './deliver-email.ts';

/** Who ended a pair: the engagement ladder, an organizer, a participant, or the mid-point review. */
export const pairClosers = ['ladder', 'organizer', 'participant', 'mid-point'] as const;
export type PairCloser = (typeof pairClosers)[number];

export interface ClosePairRequest {
  cohortId: string;
  pairId: string;
  by: PairCloser;
  /** Why, in plain words for the organizers and the report ("no answer from the mentor in 3 check-ins"). */
  reason: string;
  /** The side that leaves the pair (the silent side, the one who exits): not queued for a rematch. */
  leaving?: string;
  /** How the pair ended; by default from `by`. */
  endKind?: PairEndKind;
  /**
   * Who joins the rematch queue, and why. By default each side left behind (both, when nobody
   * is `leaving`) who still takes part, for `by`'s reason; nobody after the mid-point review,
   * where a pair that ends ends well.
   */
  rematch?: { email: string; reason: RematchReason }[];
}

export interface ClosePairResult {
  pair: Pair;
  /** False when the pair had ended before (a rerun): the rematch queue is still made whole. */
  closed: boolean;
  /** The requests this call added to the rematch queue (none when a rerun finds them there). */
  queued: RematchRequest[];
}

export interface ClosePairDeps {
  store: CohortStore;
  pairs: PairStore;
  rematches: RematchStore;
  notices: NoticeBoard;
  clock: Clock;
}

const endKindBy: Record<PairCloser, PairEndKind> = {
  ladder: 'no-fault-close',
  organizer: 'organizer',
  participant: 'no-fault-close',
  'mid-point': 'midpoint',
};

const queueReasonBy: Record<PairCloser, RematchReason | undefined> = {
  ladder: 'no-fault-close',
  organizer: 'organizer',
  participant: 'partner-exit',
  'mid-point': undefined,
};

/**
 * Ends one pair, at no one's fault, and puts the partner(s) left behind into the rematch
 * queue. Idempotent: a rerun (a retried step, a second organizer command) ends nothing twice,
 * queues nobody twice and posts the organizers' notice once; it finishes what a crash left.
 */
export async function closePair(request: ClosePairRequest, deps: ClosePairDeps): Promise<ClosePairResult> {
  const { cohortId, pairId, by, reason } = request;
  const pair = await deps.pairs.getPair(cohortId, pairId);
  if (!pair) {
    throw notFound(
      `There is no pair "${pairId}" in cohort "${cohortId}". List the pairs and their ids with: tandem pairs ${cohortId}`,
    );
  }
  const now = deps.clock.now();
  const endKind = request.endKind ?? endKindBy[by];
  const closed = await deps.pairs.endPair(cohortId, pairId, reason, now, endKind);
  const endedAt = closed ? now.toISOString() : (pair.endedAt ?? now.toISOString());
  if (endKind === 'no-fault-close' && !pair.ladder?.reached.closedNoFault) {
    const ladder = pair.ladder ?? { silentRounds: 0, reached: {} };
    await deps.pairs.setLadder(cohortId, pairId, {
      ...ladder,
      rung: 'closedNoFault',
      reached: { ...ladder.reached, closedNoFault: endedAt },
    });
  }

  const participants = await deps.store.listParticipants(cohortId);
  const byEmail = new Map(participants.map((p) => [p.email, p]));
  const queued: RematchRequest[] = [];
  for (const { email, reason: why } of leftBehind(pair, request, byEmail)) {
    const participant = byEmail.get(email);
    if (!participant) continue;
    const rematch: RematchRequest = {
      cohortId,
      email,
      role: participant.role,
      reason: why,
      status: 'queued',
      queuedAt: endedAt,
      previousPairId: pairId,
      previousPartner: email === pair.menteeEmail ? pair.mentorEmail : pair.menteeEmail,
      updatedAt: endedAt,
    };
    if (await deps.rematches.queueRematch(rematch)) queued.push(rematch);
  }

  const names = [pair.menteeEmail, pair.mentorEmail].map((email) => byEmail.get(email)?.name ?? email);
  const waiting = leftBehind(pair, request, byEmail).map(({ email }) => byEmail.get(email)?.name ?? email);
  await deps.notices.post(
    cohortId,
    {
      at: endedAt,
      kind: 'pair-closed',
      message: `The pair ${names.join(' & ')} ended (${reason}), at no one’s fault.${
        waiting.length
          ? ` ${waiting.join(' and ')} ${waiting.length > 1 ? 'wait' : 'waits'} for a new partner.`
          : ''
      }`,
    },
    stableId('close-pair', cohortId, pairId),
  );
  return {
    pair: closed ? { ...pair, status: 'ended', endedAt, endReason: reason, endKind } : pair,
    closed,
    queued,
  };
}

/** Who the close leaves waiting for a new partner, and why. */
function leftBehind(
  pair: Pair,
  request: ClosePairRequest,
  byEmail: Map<string, Participant>,
): { email: string; reason: RematchReason }[] {
  if (request.rematch) return request.rematch;
  const reason = queueReasonBy[request.by];
  if (!reason) return [];
  return [pair.menteeEmail, pair.mentorEmail]
    .filter((email) => email !== request.leaving)
    .filter((email) => {
      const participant = byEmail.get(email);
      // A paused participant comes back to a new partner; one who left or cannot be mailed does not.
      return participant !== undefined && isMailable(participant) && !participant.exitedAt;
    })
    .map((email) => ({ email, reason }));
}

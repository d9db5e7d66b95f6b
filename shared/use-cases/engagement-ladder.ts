import type { Participant } from '../cohorts/cohort.ts';
import { type LadderRung, ladderRungs, type Pair, type PairLadder } from '../cohorts/pair.ts';
import { firstName } from '../email/email-address.ts';
import type { AnswerSummary } from '../ports.ts';
import { cohortCalendar } from '../program/calendar.ts';
import { type Engagement, engagementOf } from '../program/program-schema.ts';
import { closePair } from './close-pair.ts';
import { loadCohort } from './load-cohort.ts';
import { listOf } from './pair-messages.ts';
import { proposeRematches, type RematchDeps } from './rematch.ts';
import { type ParticipantMessage, sendToParticipants } from './send-emails.ts';

/**
 * The engagement ladder, per pair, after each round closes: one workflow step per rung, in
 * the order of `ladderRungs`. The first (`nudged`) assesses the round — a meeting reported
 * resets the ladder, a `pause` suspends it, otherwise one more check-in counts without a
 * meeting — and records the rung the pair is due for; each next step climbs the pairs due to
 * its rung: ask the partner who answers, flag at risk with the reason, alert the organizers
 * (the digest's decision items), offer the silent side a no-fault close, close.
 *
 * Every step is idempotent and restartable: the assessment is made once per round (the
 * ladder keeps the round), a rung is climbed once, and its emails go through the ledger
 * (kind and round), so a rerun mails nobody twice. Auto-replies and bounces are never recorded
 * as answers, so they never count.
 */
export type LadderDeps = RematchDeps;

export interface LadderStepResult {
  rung: LadderRung;
  /** Pairs that climbed to the rung in this run (0 on a rerun). */
  climbed: number;
}

const rungIndex = (rung: LadderRung | undefined) => (rung ? ladderRungs.indexOf(rung) : -1);
type Side = 'mentee' | 'mentor';

/** Runs the ladder's step for `rung` after round `round` closed. */
export async function climbLadder(
  cohortId: string,
  round: number,
  rung: LadderRung,
  deps: LadderDeps,
): Promise<LadderStepResult> {
  const cohort = await loadCohort(deps.store, cohortId);
  const calendar = cohortCalendar(cohort.program, cohort.schedule);
  // The close-out survey is the last word: no ladder after it.
  if (round >= calendar.rounds.length) return { rung, climbed: 0 };
  // The participants are read only when a pair needs them: most rounds, most steps have nothing to do.
  let participants: Promise<Map<string, Participant>> | undefined;
  const byEmail = () => {
    participants ??= deps.store
      .listParticipants(cohortId)
      .then((list) => new Map(list.map((p) => [p.email, p])));
    return participants;
  };
  const engagement = engagementOf(cohort.program);
  let pairs = await deps.pairs.listPairs(cohortId);
  if (rung === 'nudged') pairs = await assessRound(cohortId, round, engagement, pairs, byEmail, deps);
  const climbing = pairs.filter(
    (pair) =>
      (pair.status === 'active' || rung === 'closedNoFault') &&
      pair.ladder?.round === round &&
      rungIndex(pair.ladder.due) >= rungIndex(rung) &&
      rungIndex(pair.ladder.rung) < rungIndex(rung) &&
      // A pair ended another way (an exit, an organizer) is not closed again by the ladder.
      (pair.status === 'active' || pair.endKind === 'no-fault-close'),
  );
  if (climbing.length === 0) {
    // A rerun after a crash between the close and the proposals still proposes.
    if (rung === 'closedNoFault') await proposeForWaitingMentees(cohortId, deps);
    return { rung, climbed: 0 };
  }
  const messages = rungMessages(rung, round, climbing, await byEmail());
  if (messages.length) {
    const sent = await sendToParticipants(cohort, messages, deps);
    // Not out yet (SES held it back, or its fate is unknown): the step is retried, and the
    // ledger sends each message once; the rung is recorded only once its emails are out.
    if (sent.deferred + sent['in-flight'] > 0)
      throw new Error('Ladder emails could not go out yet; retrying');
  }
  const now = deps.clock.now().toISOString();
  for (const pair of climbing) {
    const ladder = pair.ladder as PairLadder;
    if (rung === 'closedNoFault') {
      await closePair(
        {
          cohortId,
          pairId: pair.pairId,
          by: 'ladder',
          reason: ladder.reason ?? `no meeting reported in ${ladder.silentRounds} check-ins`,
          ...closeSides(pair, ladder),
        },
        deps,
      );
      continue;
    }
    await deps.pairs.setLadder(cohortId, pair.pairId, {
      ...ladder,
      rung,
      reached: carriedOut(rung, ladder) ? { [rung]: now, ...ladder.reached } : ladder.reached,
    });
  }
  if (rung === 'closedNoFault') await proposeForWaitingMentees(cohortId, deps);
  return { rung, climbed: climbing.length };
}

/** The mentees the ladder left behind get new mentors proposed (or matched at once: `rematch: automatic`). */
async function proposeForWaitingMentees(cohortId: string, deps: LadderDeps): Promise<void> {
  const queue = await deps.rematches.listRematches(cohortId);
  if (queue.some((request) => request.status === 'queued' && request.role === 'mentee'))
    await proposeRematches(cohortId, deps);
}

/**
 * The round's assessment of every pair that took part in it, once per round: the pairs as they
 * stand after it. A pair that met and had nothing on its ladder is left as it is (no write).
 */
async function assessRound(
  cohortId: string,
  round: number,
  engagement: Engagement,
  pairs: Pair[],
  byEmail: () => Promise<Map<string, Participant>>,
  deps: LadderDeps,
): Promise<Pair[]> {
  const pending = pairs.filter(
    (pair) => pair.status === 'active' && pair.startRound < round && (pair.ladder?.round ?? 0) < round,
  );
  if (pending.length === 0) return pairs;
  const [answers, participants] = await Promise.all([
    deps.answers.listAnswerSummaries(cohortId, round),
    byEmail(),
  ]);
  const byParticipant = new Map(answers.map((answer) => [answer.participantId, answer]));
  const now = deps.clock.now();
  const assessed = new Map<string, Pair>();
  const writes: Promise<void>[] = [];
  for (const pair of pending) {
    const ladder = assessPair(pair, round, engagement, participants, byParticipant, now);
    if (isClean(pair.ladder) && isClean(ladder)) continue;
    assessed.set(pair.pairId, { ...pair, ladder });
    writes.push(deps.pairs.setLadder(cohortId, pair.pairId, ladder));
  }
  await Promise.all(writes);
  return pairs.map((pair) => assessed.get(pair.pairId) ?? pair);
}

/** Nothing on the ladder: no rung, no silence, no pause. Reassessing such a pair after a meeting changes nothing. */
const isClean = (ladder: PairLadder | undefined) =>
  !ladder || (!ladder.rung && !ladder.due && ladder.silentRounds === 0 && !ladder.pausedUntil);

/** Where one pair stands after the round: reset, suspended, or one check-in further up. */
export function assessPair(
  pair: Pair,
  round: number,
  engagement: Engagement,
  byEmail: Map<string, Participant>,
  answers: Map<string, AnswerSummary>,
  now: Date,
): PairLadder {
  const previous = pair.ladder ?? { silentRounds: 0, reached: {} };
  const sides = { mentee: byEmail.get(pair.menteeEmail), mentor: byEmail.get(pair.mentorEmail) };
  const answerOf = (side: Side) => {
    const participant = sides[side];
    return participant ? answers.get(participant.participantId) : undefined;
  };
  const { round: _round, due: _due, silentSide: _silent, pausedUntil: _paused, ...kept } = previous;

  if (answerOf('mentee')?.met === true || answerOf('mentor')?.met === true) {
    // They met: back to the bottom. When each rung was first reached stays, for the report.
    return { silentRounds: 0, reached: previous.reached, round };
  }
  const pausedUntil = latestPauseEnd(sides, engagement, now);
  if (pausedUntil) return { ...kept, round, pausedUntil };

  const silent = (['mentee', 'mentor'] as const).filter((side) => !answerOf(side));
  const silentSide = silent.length === 2 ? 'both' : silent[0];
  const silentRounds = previous.silentRounds + 1;
  const due = dueRung(silentRounds, engagement, silentSide);
  return {
    ...kept,
    silentRounds,
    reason: reasonOf(pair, silentRounds, silentSide, sides, answerOf),
    round,
    ...(due ? { due } : {}),
    ...(silentSide ? { silentSide } : {}),
  };
}

/** The highest rung the thresholds call for. With no silent side (both answer, nobody meets), the organizers decide. */
function dueRung(
  silentRounds: number,
  engagement: Engagement,
  silentSide: PairLadder['silentSide'],
): LadderRung | undefined {
  const thresholds: [LadderRung, number][] = [
    ['nudged', 1],
    ['partnerAsked', engagement.askPartnerAfter],
    ['atRisk', engagement.atRiskAfter],
    ['organizerAlerted', engagement.atRiskAfter],
    ['closeOffered', engagement.closeOfferAfter],
    ['closedNoFault', engagement.closeAfter],
  ];
  const reachable = thresholds.filter(([rung, after]) => {
    if (silentRounds < after) return false;
    if (silentSide) return true;
    return rungIndex(rung) >= rungIndex('atRisk') && rungIndex(rung) <= rungIndex('organizerAlerted');
  });
  return reachable.at(-1)?.[0];
}

/** A pause suspends the ladder `pauseDays` from when it was asked for. */
function latestPauseEnd(
  sides: Record<Side, Participant | undefined>,
  engagement: Engagement,
  now: Date,
): string | undefined {
  const ends = Object.values(sides)
    .map((participant) => participant?.pausedAt)
    .filter((at): at is string => Boolean(at))
    .map((at) => new Date(new Date(at).getTime() + engagement.pauseDays * 86_400_000))
    .filter((end) => end > now)
    .sort((a, b) => b.getTime() - a.getTime());
  return ends[0]?.toISOString();
}

function reasonOf(
  pair: Pair,
  silentRounds: number,
  silentSide: PairLadder['silentSide'],
  sides: Record<Side, Participant | undefined>,
  answerOf: (side: Side) => AnswerSummary | undefined,
): string {
  const checkIns = `${silentRounds} check-in${silentRounds === 1 ? '' : 's'}`;
  const name = (side: Side) => sides[side]?.name ?? (side === 'mentee' ? pair.menteeEmail : pair.mentorEmail);
  if (!silentSide) return `no meeting reported in ${checkIns}, though both answer`;
  if (silentSide === 'both') return `no meeting reported in ${checkIns}, and no answer from either side`;
  const other: Side = silentSide === 'mentee' ? 'mentor' : 'mentee';
  const heard = answerOf(other)?.met === false ? `; ${firstName(name(other))} says they have not met` : '';
  return `no meeting reported in ${checkIns}, and no answer from the ${silentSide} (${name(silentSide)})${heard}`;
}

/** Whether climbing to the rung did something: nobody is nudged or asked when nobody is silent. */
function carriedOut(rung: LadderRung, ladder: PairLadder): boolean {
  if (rung === 'nudged' || rung === 'closeOffered') return ladder.silentSide !== undefined;
  if (rung === 'partnerAsked') return askedSide(ladder) !== undefined;
  return true;
}

/** The side asked how it is going: the one that answers, when the other is silent. */
function askedSide(ladder: PairLadder): Side | undefined {
  if (ladder.silentSide === 'mentee') return 'mentor';
  if (ladder.silentSide === 'mentor') return 'mentee';
  return undefined;
}

function closeSides(pair: Pair, ladder: PairLadder): { leaving?: string; rematch?: [] } {
  if (ladder.silentSide === 'mentee') return { leaving: pair.menteeEmail };
  if (ladder.silentSide === 'mentor') return { leaving: pair.mentorEmail };
  // Both silent: nobody waits for a new partner.
  return { rematch: [] };
}

/** Who a rung emails: the partner asked, the silent side offered a close, both sides of a closed pair. */
function rungMessages(
  rung: LadderRung,
  round: number,
  pairs: Pair[],
  byEmail: Map<string, Participant>,
): ParticipantMessage[] {
  const kind =
    rung === 'partnerAsked'
      ? 'partner-check'
      : rung === 'closeOffered'
        ? 'close-offer'
        : rung === 'closedNoFault'
          ? 'pair-closed'
          : undefined;
  if (!kind) return [];
  // One message per recipient and round (the ledger's key): a mentor hears about all their pairs at once.
  const recipients = new Map<
    string,
    { participant: Participant; audience: Side; partners: Participant[]; leftBehind: boolean; pair: Pair }
  >();
  for (const pair of pairs) {
    const ladder = pair.ladder as PairLadder;
    const sides = { mentee: byEmail.get(pair.menteeEmail), mentor: byEmail.get(pair.mentorEmail) };
    const asked = askedSide(ladder);
    const silent: Side[] =
      ladder.silentSide === 'both' ? ['mentee', 'mentor'] : ladder.silentSide ? [ladder.silentSide] : [];
    const to: Side[] =
      kind === 'partner-check'
        ? asked
          ? [asked]
          : []
        : kind === 'close-offer'
          ? silent
          : ['mentee', 'mentor'];
    for (const side of to) {
      const participant = sides[side];
      const partner = sides[side === 'mentee' ? 'mentor' : 'mentee'];
      if (!participant || !partner) continue;
      const recipient = recipients.get(participant.email) ?? {
        participant,
        audience: side,
        partners: [],
        leftBehind: !silent.includes(side),
        pair,
      };
      recipient.partners.push(partner);
      recipients.set(participant.email, recipient);
    }
  }
  return [...recipients.values()].map(({ participant, audience, partners, leftBehind, pair }) => ({
    participant,
    audience,
    kind,
    round,
    thread: `pair-${pair.pairId}`,
    // The answer counts for the next round: this one is closed.
    replyTarget: { round: round + 1 },
    context: {
      partner: { name: partners[0]?.name, firstName: firstName(partners[0]?.name ?? '') },
      partnerNames: listOf(partners.map((p) => p.name)),
      partnerFirstNames: listOf(partners.map((p) => firstName(p.name))),
      ladder: { checkIns: pair.ladder?.silentRounds ?? 0, leftBehind },
    },
  }));
}

/** What the digest suggests the organizers do about a pair at risk, with the reply command's verb. */
export function suggestedAction(
  pair: Pair,
  engagement: Engagement,
): { command: 'nudge' | 'close'; text: string } {
  const side = pair.ladder?.silentSide;
  if (side === 'mentee' || side === 'mentor') {
    return {
      command: 'nudge',
      text: `a personal note to the ${side} often helps; if nothing changes, Tandem offers them a no-fault close after ${engagement.closeOfferAfter} check-ins without a meeting, or close the pair now`,
    };
  }
  if (side === 'both') return { command: 'close', text: 'neither side answers: close the pair' };
  return {
    command: 'nudge',
    text: 'both answer but do not meet: ask them what is in the way, or close the pair',
  };
}

import { DateTime } from 'luxon';
import type { Cohort, Participant } from '../cohorts/cohort.ts';
import { ladderRungs, type Pair } from '../cohorts/pair.ts';
import type { RematchRequest } from '../cohorts/rematch.ts';
import type { LedgerKey } from '../email/outbound-email.ts';
import { synonymIndex, topicKey } from '../matching/topics.ts';
import type { AnswerSummary } from '../ports.ts';
import { type CalendarRound, type CohortCalendar, cohortCalendar } from '../program/calendar.ts';
import type {
  CohortReport,
  CohortReportData,
  PairRecord,
  RematchFigure,
  RoundFigures,
} from './cohort-report.ts';

/** What the report is computed from: the cohort's items, as the ports return them. */
export interface ReportSources {
  cohort: Cohort;
  participants: Participant[];
  pairs: Pair[];
  /** Every answer of every round (its figures: the replies' texts are not needed). */
  answers: AnswerSummary[];
  rematches: RematchRequest[];
  /** Every message the ledger says went out. */
  sent: LedgerKey[];
  inbound: { byKind: Record<string, number>; byOutcome: Record<string, number> };
  notices: number;
  deadLetters: number;
  now: Date;
  /** The phases and their times, when the caller knows them better (a simulation). */
  phases?: { phase: string; at: string }[];
}

/** The kinds of email that open a round: the check-in, or the survey in its place. */
const roundOpeners = new Set(['check-in', 'midpoint-survey', 'closeout-survey']);
const topicsShown = 12;
const decisions = ['continue', 'change-focus', 'rematch', 'end'] as const;

/**
 * The cohort's figures, from its items alone: a pipeline of small named computations, each
 * over the sources, so the report reads the same for a live cohort and a simulated one.
 */
export function computeReport(sources: ReportSources): CohortReportData {
  const { cohort } = sources;
  const calendar = cohortCalendar(cohort.program, cohort.schedule);
  const index = indexSources(sources);
  const rounds = calendar.rounds.map((round) => roundFigures(round, sources, index));
  const report: CohortReport = {
    cohortId: cohort.id,
    program: cohort.program.name,
    phases: sources.phases ?? phasesOf(cohort, calendar, sources.pairs),
    participants: participantCounts(sources.participants),
    pairs: pairCounts(sources.pairs),
    emails: countBy(sources.sent.map((key) => key.kind)),
    replies: { ...sources.inbound.byKind, total: sum(Object.values(sources.inbound.byKind)) },
    replyOutcomes: sources.inbound.byOutcome,
    rounds,
    overall: overallRates(rounds),
    atRisk: atRiskPairs(cohort, sources.pairs, index),
    exits: sources.participants.filter((p) => p.exitedAt).map((p) => `${p.name} (${p.role})`),
    rematches: rematchesCarriedOut(sources.rematches, index),
    rematchRequests: sources.rematches.map((request) => ({
      participant: request.email,
      name: index.nameOf(request.email),
      reason: request.reason,
      status: request.status,
      ...(request.unplaceableReason ? { detail: request.unplaceableReason } : {}),
    })),
    endings: sources.pairs
      .filter((pair) => pair.status === 'ended')
      .map((pair) => ({
        pair: index.pairLabel(pair),
        kind: pair.endKind ?? 'unknown',
        reason: pair.endReason ?? '',
        round: pair.endedAt ? roundAt(calendar, pair.endedAt, cohort.program.timezone) : 0,
      })),
    ladder: ladderFunnel(sources.pairs, sources.rematches),
    ratings: rounds.map((r) => ({ round: r.round, mean: r.meanRating, count: r.ratings })),
    nps: netPromoterScore(sources.answers),
    midpoint: midpointFigures(calendar.midpointRound, index),
    closeout: closeoutFigures(calendar.rounds.at(-1)?.number ?? 0, index),
    topics: topicsDiscussed(sources.answers, cohort.program.matching.synonyms),
    scores: scoreDistribution(sources.pairs.map((pair) => pair.score)),
    notices: sources.notices,
    deadLetters: sources.deadLetters,
    generatedAt: sources.now.toISOString(),
    anonymized: false,
    ...(cohort.purgedAt ? { purgedAt: cohort.purgedAt } : {}),
  };
  return { report, pairs: sources.pairs.map((pair) => pairRecord(pair, calendar, index)) };
}

type SourceIndex = ReturnType<typeof indexSources>;

/** Lookups every figure needs: answers by round, names by email. */
function indexSources(sources: ReportSources) {
  const names = new Map(sources.participants.map((p) => [p.email, p.name]));
  const answersByRound = new Map<number, AnswerSummary[]>();
  for (const answer of sources.answers) {
    const list = answersByRound.get(answer.round) ?? [];
    list.push(answer);
    answersByRound.set(answer.round, list);
  }
  const sentByRound = new Map<number, LedgerKey[]>();
  for (const key of sources.sent) {
    const list = sentByRound.get(key.round) ?? [];
    list.push(key);
    sentByRound.set(key.round, list);
  }
  const metByRound = new Map<number, Map<string, boolean>>();
  for (const answer of sources.answers) {
    if (answer.met === null || answer.met === undefined) continue;
    const said = metByRound.get(answer.round) ?? new Map<string, boolean>();
    said.set(answer.email, answer.met);
    metByRound.set(answer.round, said);
  }
  const nameOf = (email: string) => names.get(email) ?? email;
  return {
    nameOf,
    answersOf: (round: number) => answersByRound.get(round) ?? [],
    sentIn: (round: number) => sentByRound.get(round) ?? [],
    /**
     * Whether a pair met in a round, as its people said: the mentee's yes or no when they gave
     * one (a mentor with two mentees answers for both at once), else the mentor's yes.
     */
    pairMet: (pair: Pair, round: number) => {
      const said = metByRound.get(round);
      return said?.get(pair.menteeEmail) ?? said?.get(pair.mentorEmail) === true;
    },
    pairLabel: (pair: Pair) => `${nameOf(pair.menteeEmail)} & ${nameOf(pair.mentorEmail)}`,
  };
}

/** Whether a pair takes part in a round: formed for it or before, not ended before it began. */
function takesPart(pair: Pair, round: Pick<CalendarRound, 'number' | 'date'>): boolean {
  return pair.startRound <= round.number && (!pair.endedAt || pair.endedAt.slice(0, 10) >= round.date);
}

function roundFigures(round: CalendarRound, sources: ReportSources, index: SourceIndex): RoundFigures {
  const sent = index.sentIn(round.number);
  const answers = index.answersOf(round.number);
  const pairs = sources.pairs.filter((pair) => takesPart(pair, round));
  const pairsMet = pairs.filter((pair) => index.pairMet(pair, round.number)).length;
  const checkedIn = sent.filter((key) => roundOpeners.has(key.kind)).length;
  const ratings = answers.flatMap((a) => (typeof a.rating === 'number' ? [a.rating] : []));
  const usefulness = answers.flatMap((a) =>
    typeof a.survey?.usefulness === 'number' ? [a.survey.usefulness] : [],
  );
  return {
    round: round.number,
    kind: round.kind,
    date: round.date,
    checkedIn,
    answered: answers.length,
    responseRate: share(answers.length, checkedIn),
    pairs: pairs.length,
    pairsMet,
    meetingRate: share(pairsMet, pairs.length),
    nudged: sent.filter((key) => key.kind === 'nudge').length,
    meanRating: mean(ratings),
    ratings: ratings.length,
    meanUsefulness: mean(usefulness),
    usefulnessAnswers: usefulness.length,
  };
}

function overallRates(rounds: RoundFigures[]): CohortReport['overall'] {
  const checkedIn = sum(rounds.map((r) => r.checkedIn));
  const answered = sum(rounds.map((r) => r.answered));
  const pairRounds = sum(rounds.map((r) => r.pairs));
  const pairsMet = sum(rounds.map((r) => r.pairsMet));
  return {
    checkedIn,
    answered,
    responseRate: share(answered, checkedIn),
    pairRounds,
    pairsMet,
    meetingRate: share(pairsMet, pairRounds),
  };
}

function participantCounts(participants: Participant[]): CohortReport['participants'] {
  const count = (test: (p: Participant) => unknown) => participants.filter(test).length;
  return {
    total: participants.length,
    mentors: count((p) => p.role === 'mentor'),
    mentees: count((p) => p.role === 'mentee'),
    confirmed: count((p) => p.confirmed),
    paused: count((p) => p.pausedAt),
    exited: count((p) => p.exitedAt),
    unsubscribed: count((p) => p.unsubscribedAt),
    undeliverable: count((p) => p.undeliverableAt),
  };
}

function pairCounts(pairs: Pair[]): CohortReport['pairs'] {
  return {
    total: pairs.length,
    active: pairs.filter((p) => p.status === 'active').length,
    ended: pairs.filter((p) => p.status === 'ended').length,
    meanScore: round1(mean(pairs.map((p) => p.score)) ?? 0),
    fromRematch: pairs.filter((p) => p.origin === 'rematch').length,
  };
}

/** Active pairs in both of the last two closed rounds with no meeting reported in either. */
function atRiskPairs(cohort: Cohort, pairs: Pair[], index: SourceIndex): string[] {
  const last = cohort.completedRounds;
  if (last < 2) return [];
  return pairs
    .filter((pair) => pair.status === 'active' && pair.startRound <= last - 1)
    .filter((pair) => !index.pairMet(pair, last) && !index.pairMet(pair, last - 1))
    .map((pair) => index.pairLabel(pair));
}

function rematchesCarriedOut(requests: RematchRequest[], index: SourceIndex): RematchFigure[] {
  return requests
    .filter((request) => request.status === 'matched')
    .map((request) => ({
      participant: request.email,
      previousPartner: request.previousPartner ?? null,
      newPartner: request.newPartner ?? null,
      round: request.round ?? null,
      reason: request.reason,
      participantName: index.nameOf(request.email),
      previousPartnerName: request.previousPartner ? index.nameOf(request.previousPartner) : null,
      newPartnerName: request.newPartner ? index.nameOf(request.newPartner) : null,
    }));
}

function ladderFunnel(pairs: Pair[], requests: RematchRequest[]): CohortReport['ladder'] {
  const reached = (rung: (typeof ladderRungs)[number]) =>
    pairs.filter((pair) => pair.ladder?.reached?.[rung]).length;
  const rematchedFrom = new Set(
    requests.filter((r) => r.status === 'matched' && r.previousPairId).map((r) => r.previousPairId),
  );
  return {
    nudged: reached('nudged'),
    partnerAsked: reached('partnerAsked'),
    atRisk: reached('atRisk'),
    organizerAlerted: reached('organizerAlerted'),
    closeOffered: reached('closeOffered'),
    closedNoFault: reached('closedNoFault'),
    rematched: pairs.filter((pair) => pair.ladder?.reached?.closedNoFault && rematchedFrom.has(pair.pairId))
      .length,
  };
}

/** Each participant's latest answer to "would you recommend it" counts once. */
function netPromoterScore(answers: AnswerSummary[]): CohortReport['nps'] {
  const latest = new Map<string, AnswerSummary>();
  for (const answer of answers) {
    if (typeof answer.survey?.nps !== 'number') continue;
    const seen = latest.get(answer.participantId);
    if (!seen || seen.round < answer.round) latest.set(answer.participantId, answer);
  }
  const scores = [...latest.values()].map((answer) => answer.survey?.nps as number);
  const promoters = scores.filter((s) => s >= 9).length;
  const detractors = scores.filter((s) => s <= 6).length;
  return {
    promoters,
    passives: scores.length - promoters - detractors,
    detractors,
    score: scores.length ? Math.round((100 * (promoters - detractors)) / scores.length) : null,
    responses: scores.length,
  };
}

function midpointFigures(round: number, index: SourceIndex): CohortReport['midpoint'] {
  const answers = round ? index.answersOf(round) : [];
  const usefulness = answers.flatMap((a) =>
    typeof a.survey?.usefulness === 'number' ? [a.survey.usefulness] : [],
  );
  const help = answers.flatMap((a) => (a.survey?.help?.trim() ? [a.survey.help.trim()] : []));
  return {
    round,
    responses: answers.length,
    usefulness: {
      mean: mean(usefulness),
      count: usefulness.length,
      distribution: [1, 2, 3, 4, 5].map((value) => usefulness.filter((u) => Math.round(u) === value).length),
    },
    decisions: Object.fromEntries(
      decisions.map((decision) => [decision, answers.filter((a) => a.survey?.decision === decision).length]),
    ) as CohortReport['midpoint']['decisions'],
    help,
    helpCount: help.length,
  };
}

function closeoutFigures(round: number, index: SourceIndex): CohortReport['closeout'] {
  const answers = round ? index.answersOf(round) : [];
  const ratings = answers.flatMap((a) => (typeof a.rating === 'number' ? [a.rating] : []));
  return { round, responses: answers.length, rating: { mean: mean(ratings), count: ratings.length } };
}

/** Topics named in answers, grouped the way matching compares them (synonyms, plurals, case). */
function topicsDiscussed(
  answers: AnswerSummary[],
  synonyms: Record<string, string[]>,
): CohortReport['topics'] {
  const index = synonymIndex(synonyms);
  const groups = new Map<string, { count: number; people: Set<string>; spellings: Map<string, number> }>();
  for (const answer of answers) {
    const keys = new Map<string, string>();
    for (const topic of answer.topics) {
      const text = topic.trim().toLowerCase();
      if (text) keys.set(topicKey(text, index), text);
    }
    for (const [key, text] of keys) {
      const group = groups.get(key) ?? { count: 0, people: new Set(), spellings: new Map() };
      group.count++;
      group.people.add(answer.participantId);
      group.spellings.set(text, (group.spellings.get(text) ?? 0) + 1);
      groups.set(key, group);
    }
  }
  return [...groups.values()]
    .map((group) => ({
      topic: [...group.spellings].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? '',
      count: group.count,
      people: group.people.size,
    }))
    .sort((a, b) => b.count - a.count || a.topic.localeCompare(b.topic))
    .slice(0, topicsShown);
}

function scoreDistribution(scores: number[]): CohortReport['scores'] {
  const sorted = [...scores].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median = sorted.length
    ? sorted.length % 2
      ? (sorted[Math.floor(middle)] as number)
      : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
    : null;
  const average = mean(sorted);
  return {
    count: sorted.length,
    mean: average === null ? null : round1(average),
    median,
    min: sorted[0] ?? null,
    max: sorted.at(-1) ?? null,
    bins: Array.from({ length: 10 }, (_, i) => ({
      from: i * 10,
      to: i * 10 + 10,
      count: sorted.filter((s) => Math.min(9, Math.floor(s / 10)) === i).length,
    })),
  };
}

function pairRecord(pair: Pair, calendar: CohortCalendar, index: SourceIndex): PairRecord {
  const rounds = calendar.rounds.filter((round) => takesPart(pair, round));
  const metRounds = rounds.filter((round) => index.pairMet(pair, round.number)).map((round) => round.number);
  const ratings = rounds.flatMap((round) =>
    index
      .answersOf(round.number)
      .filter((a) => a.email === pair.menteeEmail || a.email === pair.mentorEmail)
      .flatMap((a) => (typeof a.rating === 'number' ? [a.rating] : [])),
  );
  const reached = ladderRungs.filter((rung) => pair.ladder?.reached?.[rung]);
  return {
    pair: pair.pairId,
    menteeName: index.nameOf(pair.menteeEmail),
    menteeEmail: pair.menteeEmail,
    mentorName: index.nameOf(pair.mentorEmail),
    mentorEmail: pair.mentorEmail,
    score: pair.score,
    origin: pair.origin ?? 'match',
    startRound: pair.startRound,
    status: pair.status,
    endKind: pair.endKind ?? '',
    endedAt: pair.endedAt ?? '',
    endReason: pair.endReason ?? '',
    ladderRung: reached.at(-1) ?? '',
    atRiskReason: pair.ladder?.reason ?? '',
    roundsMet: metRounds.length,
    lastMetRound: metRounds.at(-1) ?? null,
    meanRating: mean(ratings),
    sharedTopics: pair.sharedTopics,
  };
}

/** What a live cohort can tell of its phases: its dates, as far as it has come. */
function phasesOf(cohort: Cohort, calendar: CohortCalendar, pairs: Pair[]): { phase: string; at: string }[] {
  const zone = cohort.program.timezone;
  const dayAfter = (day: string) => DateTime.fromISO(day, { zone }).plus({ days: 1 }).toUTC().toISO() ?? day;
  const phases: { phase: string; at: string }[] = [];
  if (cohort.phase !== 'intake') phases.push({ phase: 'intake', at: cohort.intakeClosesAt });
  const introduced = pairs.map((pair) => pair.createdAt).sort()[0];
  if (introduced) phases.push({ phase: 'introductions', at: introduced });
  for (const round of calendar.rounds.filter((r) => r.number <= cohort.completedRounds)) {
    phases.push({ phase: `round ${round.number}`, at: dayAfter(round.closesOn) });
  }
  if (cohort.phase === 'closed') phases.push({ phase: 'closed', at: dayAfter(calendar.end) });
  if (cohort.purgedAt) phases.push({ phase: 'purged', at: cohort.purgedAt });
  return phases;
}

/** The round an instant falls in: the last one that had begun by that day (0: before the first). */
export function roundAt(calendar: CohortCalendar, at: string, zone: string): number {
  const day = DateTime.fromISO(at).setZone(zone).toISODate() ?? at.slice(0, 10);
  return calendar.rounds.filter((round) => round.date <= day).at(-1)?.number ?? 0;
}

function countBy(values: string[]): Record<string, number> & { total: number } {
  const counts: Record<string, number> & { total: number } = { total: values.length };
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const round1 = (value: number) => Math.round(value * 10) / 10;
const round3 = (value: number) => Math.round(value * 1000) / 1000;

function mean(values: number[]): number | null {
  return values.length ? Math.round((sum(values) / values.length) * 100) / 100 : null;
}

function share(part: number, whole: number): number | null {
  return whole ? round3(part / whole) : null;
}

import { type DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import type { Cohort } from '../../shared/cohorts/cohort.ts';
import { cohortCalendar } from '../../shared/program/calendar.ts';

// biome-ignore lint/suspicious/noExplicitAny: raw items of every shape, read as the table holds them
type Item = Record<string, any>;

/** Every item of the table, as DynamoDB holds it. */
export async function scanTable(db: DynamoDBDocumentClient, tableName: string): Promise<Item[]> {
  const items: Item[] = [];
  for await (const page of paginateScan({ client: db }, { TableName: tableName, ConsistentRead: true }))
    items.push(...(page.Items ?? []));
  return items;
}

/**
 * The report's figures worked out a second time, simply, from the table's raw items: no port,
 * no adapter, none of the report's code — only the calendar, which says when rounds are. Tests
 * compare the report with it.
 */
export function oracleFigures(items: Item[], cohortId: string) {
  const mine = items.filter((item) => item.pk === `COHORT#${cohortId}`);
  const of = (prefix: string) => mine.filter((item) => String(item.sk).startsWith(prefix));
  const cohort = mine.find((item) => item.sk === 'COHORT') as unknown as Cohort;
  const participants = of('PARTICIPANT#');
  const pairs = of('PAIR#');
  const answers = of('ANSWER#');
  const rematches = of('REMATCH#');
  const sent = of('SEND#').filter((item) => item.status === 'sent' || item.acceptedAt);
  const calendar = cohortCalendar(cohort.program, cohort.schedule);

  const rounds = [];
  const ratings = [];
  for (const round of calendar.rounds) {
    const theirs = answers.filter((a) => a.round === round.number);
    let pairsIn = 0;
    let pairsMet = 0;
    for (const pair of pairs) {
      const began = pair.startRound <= round.number;
      const stillOn = !pair.endedAt || String(pair.endedAt).slice(0, 10) >= round.date;
      if (!began || !stillOn) continue;
      pairsIn++;
      const mentee = theirs.find((a) => a.email === pair.menteeEmail);
      const mentor = theirs.find((a) => a.email === pair.mentorEmail);
      const met = typeof mentee?.met === 'boolean' ? mentee.met : mentor?.met === true;
      if (met) pairsMet++;
    }
    rounds.push({
      round: round.number,
      checkedIn: sent.filter(
        (s) =>
          s.round === round.number && ['check-in', 'midpoint-survey', 'closeout-survey'].includes(s.kind),
      ).length,
      answered: theirs.length,
      pairs: pairsIn,
      pairsMet,
      nudged: sent.filter((s) => s.round === round.number && s.kind === 'nudge').length,
    });
    const given = theirs.filter((a) => typeof a.rating === 'number').map((a) => a.rating as number);
    ratings.push({
      round: round.number,
      mean: given.length ? Math.round((given.reduce((x, y) => x + y, 0) / given.length) * 100) / 100 : null,
      count: given.length,
    });
  }

  // Each participant's last answer to the recommendation question.
  const lastNps = new Map<string, { round: number; nps: number }>();
  for (const a of answers) {
    if (typeof a.survey?.nps !== 'number') continue;
    const seen = lastNps.get(a.participantId);
    if (!seen || seen.round < a.round) lastNps.set(a.participantId, { round: a.round, nps: a.survey.nps });
  }
  const scores = [...lastNps.values()].map((v) => v.nps);
  const promoters = scores.filter((s) => s >= 9).length;
  const detractors = scores.filter((s) => s <= 6).length;

  const reached = (rung: string) => pairs.filter((p) => p.ladder?.reached?.[rung]).length;
  // In the order they were queued (the table's order is by address).
  const matched = rematches
    .filter((r) => r.status === 'matched')
    .sort(
      (a, b) =>
        String(a.queuedAt).localeCompare(String(b.queuedAt)) ||
        String(a.email).localeCompare(String(b.email)),
    );
  const emails: Record<string, number> = { total: sent.length };
  for (const s of sent) emails[s.kind] = (emails[s.kind] ?? 0) + 1;

  return {
    rounds,
    ratings,
    nps: {
      promoters,
      passives: scores.length - promoters - detractors,
      detractors,
      score: scores.length ? Math.round((100 * (promoters - detractors)) / scores.length) : null,
      responses: scores.length,
    },
    ladder: {
      nudged: reached('nudged'),
      partnerAsked: reached('partnerAsked'),
      atRisk: reached('atRisk'),
      organizerAlerted: reached('organizerAlerted'),
      closeOffered: reached('closeOffered'),
      closedNoFault: reached('closedNoFault'),
      rematched: pairs.filter(
        (p) => p.ladder?.reached?.closedNoFault && matched.some((r) => r.previousPairId === p.pairId),
      ).length,
    },
    rematches: matched.map((r) => ({
      participant: r.email,
      previousPartner: r.previousPartner ?? null,
      newPartner: r.newPartner ?? null,
      round: r.round ?? null,
    })),
    emails,
    participants: {
      total: participants.length,
      mentors: participants.filter((p) => p.role === 'mentor').length,
      mentees: participants.filter((p) => p.role === 'mentee').length,
      exited: participants.filter((p) => p.exitedAt).length,
    },
    pairs: {
      total: pairs.length,
      active: pairs.filter((p) => p.status === 'active').length,
      ended: pairs.filter((p) => p.status === 'ended').length,
    },
    scoreBins: Array.from(
      { length: 10 },
      (_, i) =>
        pairs.filter((p) => (i === 9 ? p.score >= 90 : p.score >= i * 10 && p.score < i * 10 + 10)).length,
    ),
    midpointDecisions: Object.fromEntries(
      ['continue', 'change-focus', 'rematch', 'end'].map((d) => [
        d,
        answers.filter((a) => a.round === calendar.midpointRound && a.survey?.decision === d).length,
      ]),
    ),
  };
}

/** The report's figures in the oracle's shape, for one comparison. */
export function reportFigures(report: {
  rounds: {
    round: number;
    checkedIn: number;
    answered: number;
    pairs: number;
    pairsMet: number;
    nudged: number;
  }[];
  ratings: unknown;
  nps: unknown;
  ladder: unknown;
  rematches: {
    participant: string;
    previousPartner: string | null;
    newPartner: string | null;
    round: number | null;
  }[];
  emails: unknown;
  participants: { total: number; mentors: number; mentees: number; exited: number };
  pairs: { total: number; active: number; ended: number };
  scores: { bins: { count: number }[] };
  midpoint: { decisions: unknown };
}) {
  return {
    rounds: report.rounds.map(({ round, checkedIn, answered, pairs, pairsMet, nudged }) => ({
      round,
      checkedIn,
      answered,
      pairs,
      pairsMet,
      nudged,
    })),
    ratings: report.ratings,
    nps: report.nps,
    ladder: report.ladder,
    rematches: report.rematches.map(({ participant, previousPartner, newPartner, round }) => ({
      participant,
      previousPartner,
      newPartner,
      round,
    })),
    emails: report.emails,
    participants: {
      total: report.participants.total,
      mentors: report.participants.mentors,
      mentees: report.participants.mentees,
      exited: report.participants.exited,
    },
    pairs: { total: report.pairs.total, active: report.pairs.active, ended: report.pairs.ended },
    scoreBins: report.scores.bins.map((bin) => bin.count),
    midpointDecisions: report.midpoint.decisions,
  };
}

import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { Answer, SurveyAnswers } from '../../shared/cohorts/answer.ts';
import { type Cohort, intakeWindow, type Participant } from '../../shared/cohorts/cohort.ts';
import type { Pair } from '../../shared/cohorts/pair.ts';
import type { RematchRequest } from '../../shared/cohorts/rematch.ts';
import type { LedgerKey } from '../../shared/email/outbound-email.ts';
import { cohortCalendar, noScheduleChanges } from '../../shared/program/calendar.ts';
import { parseProgram } from '../../shared/program/load-program.ts';
import { anonymizeReport } from '../../shared/report/anonymize-report.ts';
import { computeReport, type ReportSources } from '../../shared/report/compute-report.ts';
import { pairsCsvHeader, roundsCsvHeader } from '../../shared/report/report-csv.ts';
import { reportFiles } from '../../shared/report/report-files.ts';

/**
 * A small cohort whose figures are worked out by hand from what its people did: four rounds
 * (the third carries the mid-point survey, the fourth the close-out), one pair that the ladder
 * closed, and the mentee left behind rematched from round 3.
 */
const program = parseProgram(`
name: Report Fixture
id: report-fixture
organizers: [{ name: Grace Hopper, email: grace@org.example }]
sender: { address: mentoring@org.example }
timezone: Europe/Berlin
intake: { opens: 2027-01-04, closes: 2027-01-24 }
start: 2027-02-01
lengthMonths: 2
matching: { synonyms: { "machine learning": [ml] } }
`);
const calendar = cohortCalendar(program);
const { opensAt, closesAt } = intakeWindow(program);
const cohort: Cohort = {
  id: 'report-fixture',
  program,
  phase: 'closed',
  schedule: noScheduleChanges,
  completedRounds: 4,
  intakeOpensAt: opensAt,
  intakeClosesAt: closesAt,
  createdAt: '2027-01-02T09:00:00Z',
  updatedAt: '2027-04-01T09:00:00Z',
};

const person = (name: string, role: 'mentor' | 'mentee', marks: Partial<Participant> = {}): Participant => ({
  cohortId: cohort.id,
  participantId: `p-${name.toLowerCase()}`,
  linkToken: `token${name.toLowerCase()}`,
  email: `${name.toLowerCase()}@people.example`,
  name: `${name} Example`,
  role,
  years_experience: role === 'mentor' ? 8 : 2,
  topics: ['sql'],
  languages: ['English'],
  timezone: 'Europe/Berlin',
  preferred: [],
  avoid: [],
  consent: { source: 'applicant', at: '2027-01-05T09:00:00Z' },
  confirmed: true,
  createdAt: '2027-01-05T09:00:00Z',
  updatedAt: '2027-01-05T09:00:00Z',
  ...marks,
});
const ana = person('Ana', 'mentee');
const ben = person('Ben', 'mentee');
const cho = person('Cho', 'mentee', { exitedAt: '2027-03-02T10:00:00Z' });
const max = person('Max', 'mentor');
const eva = person('Eva', 'mentor');
const participants = [ana, ben, cho, max, eva];

const pair = (mentee: Participant, mentor: Participant, fields: Partial<Pair>): Pair => ({
  pairId: `${mentee.participantId}-${mentor.participantId}`,
  cohortId: cohort.id,
  menteeEmail: mentee.email,
  mentorEmail: mentor.email,
  score: 50,
  reasons: ['both: sql'],
  sharedTopics: ['sql'],
  status: 'active',
  startRound: 0,
  createdAt: '2027-02-01T08:00:00Z',
  ...fields,
});
const anaMax = pair(ana, max, { score: 82.5 });
const benMax = pair(ben, max, {
  score: 55,
  status: 'ended',
  endedAt: '2027-03-03T10:00:00Z',
  endKind: 'no-fault-close',
  endReason: 'no answer from the mentor in 3 check-ins',
  ladder: {
    silentRounds: 3,
    reached: {
      nudged: '2027-02-19T09:00:00Z',
      partnerAsked: '2027-02-22T09:00:00Z',
      atRisk: '2027-02-26T09:00:00Z',
      organizerAlerted: '2027-02-26T09:00:00Z',
      closeOffered: '2027-03-01T09:00:00Z',
      closedNoFault: '2027-03-03T10:00:00Z',
    },
  },
});
const choEva = pair(cho, eva, {
  score: 61,
  status: 'ended',
  endedAt: '2027-03-02T10:00:00Z',
  endKind: 'exit',
  endReason: 'mentee left (no-fault exit)',
  ladder: { silentRounds: 1, reached: { nudged: '2027-02-19T09:00:00Z' } },
});
const benEva = pair(ben, eva, {
  score: 47,
  origin: 'rematch',
  startRound: 3,
  createdAt: '2027-03-10T09:00:00Z',
});
const pairs = [anaMax, benMax, choEva, benEva];

const answer = (
  who: Participant,
  round: number,
  fields: { met?: boolean | null; rating?: number | null; topics?: string[]; survey?: SurveyAnswers },
): Answer => ({
  cohortId: cohort.id,
  round,
  participantId: who.participantId,
  email: who.email,
  met: fields.met ?? null,
  topics: fields.topics ?? [],
  actionItems: [],
  rating: fields.rating ?? null,
  intent: null,
  note: '',
  ...(fields.survey ? { survey: fields.survey } : {}),
  replies: [
    { messageId: `<${who.participantId}-${round}@mail>`, receivedAt: '2027-02-16T09:00:00Z', text: 'x' },
  ],
  updatedAt: '2027-02-16T09:00:00Z',
});
const answers = [
  // Round 1: Ana and Max met; Ben had not; Cho met.
  answer(ana, 1, { met: true, rating: 4, topics: ['SQL', 'Career change'] }),
  answer(max, 1, { met: true }),
  answer(ben, 1, { met: false, rating: 2 }),
  answer(cho, 1, { met: true, rating: 5, topics: ['ML'] }),
  // Round 2: only Ana met (and said so twice over: one topic spelled two ways counts once).
  answer(ana, 2, { met: true, rating: 5, topics: ['sql', 'SQL '] }),
  answer(ben, 2, { met: false }),
  // Round 3, the mid-point survey: Ana and Ben (now with Eva) met.
  answer(ana, 3, {
    met: true,
    survey: { usefulness: 5, decision: 'continue', help: 'More time on interviews.' },
    topics: ['machine learning'],
  }),
  answer(ben, 3, { met: true, survey: { usefulness: 3, decision: 'change-focus', help: '  ' } }),
  answer(eva, 3, { met: true, survey: { usefulness: 4, decision: 'continue' } }),
  // Round 4, the close-out: ratings and the NPS.
  answer(ana, 4, { rating: 5, survey: { nps: 10 } }),
  answer(ben, 4, { rating: 3, survey: { nps: 6 } }),
  answer(max, 4, { survey: { nps: 8 } }),
  answer(eva, 4, { rating: 4, survey: { nps: 9 } }),
];

const rematches: RematchRequest[] = [
  {
    cohortId: cohort.id,
    email: ben.email,
    role: 'mentee',
    reason: 'no-fault-close',
    status: 'matched',
    queuedAt: '2027-03-03T10:00:00Z',
    previousPairId: benMax.pairId,
    previousPartner: max.email,
    newPairId: benEva.pairId,
    newPartner: eva.email,
    round: 3,
    updatedAt: '2027-03-10T09:00:00Z',
  },
  {
    cohortId: cohort.id,
    email: eva.email,
    role: 'mentor',
    reason: 'partner-exit',
    status: 'unplaceable',
    queuedAt: '2027-03-02T10:00:00Z',
    unplaceableReason: 'no mentee waiting shares her topics',
    updatedAt: '2027-03-10T09:00:00Z',
  },
];

const key = (who: Participant, kind: LedgerKey['kind'], round: number): LedgerKey => ({
  cohortId: cohort.id,
  recipientId: who.participantId,
  kind,
  round,
});
const sent: LedgerKey[] = [
  ...[ana, ben, cho, max, eva].map((p) => key(p, 'check-in', 1)),
  key(ben, 'nudge', 1),
  ...[ana, ben, cho, max, eva].map((p) => key(p, 'check-in', 2)),
  key(max, 'nudge', 2),
  key(eva, 'nudge', 2),
  ...[ana, ben, max, eva].map((p) => key(p, 'midpoint-survey', 3)),
  ...[ana, ben, max, eva].map((p) => key(p, 'closeout-survey', 4)),
  { cohortId: cohort.id, recipientId: 'organizer-1', kind: 'organizer-digest', round: 1 },
];

const sources: ReportSources = {
  cohort,
  participants,
  pairs,
  answers,
  rematches,
  sent,
  inbound: { byKind: { reply: 13, auto_reply: 1 }, byOutcome: { recorded: 13, auto_reply: 1 } },
  notices: 3,
  deadLetters: 0,
  now: new Date('2027-04-02T09:00:00Z'),
};

describe('the cohort report’s figures', () => {
  const { report, pairs: records } = computeReport(sources);

  it('has the calendar this fixture assumes', () => {
    expect(calendar.rounds.map((r) => [r.number, r.date, r.kind])).toEqual([
      [1, '2027-02-15', 'check-in'],
      [2, '2027-03-01', 'check-in'],
      [3, '2027-03-15', 'midpoint-survey'],
      [4, '2027-03-29', 'closeout-survey'],
    ]);
  });

  it('counts, per round, who was asked, who answered, which pairs took part and which met', () => {
    expect(
      report.rounds.map((r) => [r.round, r.checkedIn, r.answered, r.pairs, r.pairsMet, r.nudged]),
    ).toEqual([
      // All three first pairs; Ana & Max and Cho & Eva met. Max's yes was about Ana: Ben said no.
      [1, 5, 4, 3, 2, 1],
      // Ben & Max ended on 3 March, after round 2 began: still in it. Only Ana & Max met.
      [2, 5, 2, 3, 1, 2],
      // Ben & Eva join at round 3; Ben & Max and Cho & Eva have ended.
      [3, 4, 3, 2, 2, 0],
      [4, 4, 4, 2, 0, 0],
    ]);
    expect(report.rounds[0]).toMatchObject({ responseRate: 0.8, meetingRate: 0.667 });
    expect(report.overall).toEqual({
      checkedIn: 18,
      answered: 13,
      responseRate: 0.722,
      pairRounds: 10,
      pairsMet: 5,
      meetingRate: 0.5,
    });
  });

  it('averages the usefulness ratings per round, and the mid-point survey’s separately', () => {
    expect(report.ratings).toEqual([
      { round: 1, mean: 3.67, count: 3 },
      { round: 2, mean: 5, count: 1 },
      { round: 3, mean: null, count: 0 },
      { round: 4, mean: 4, count: 3 },
    ]);
    expect(report.midpoint).toEqual({
      round: 3,
      responses: 3,
      usefulness: { mean: 4, count: 3, distribution: [0, 0, 1, 1, 1] },
      decisions: { continue: 2, 'change-focus': 1, rematch: 0, end: 0 },
      help: ['More time on interviews.'],
      helpCount: 1,
    });
    expect(report.closeout).toEqual({ round: 4, responses: 4, rating: { mean: 4, count: 3 } });
  });

  it('scores the NPS from each participant’s answer: 2 promoters, 1 passive, 1 detractor of 4', () => {
    expect(report.nps).toEqual({ promoters: 2, passives: 1, detractors: 1, score: 25, responses: 4 });
  });

  it('shows the ladder as a funnel, and the rematch it led to', () => {
    expect(report.ladder).toEqual({
      nudged: 2,
      partnerAsked: 1,
      atRisk: 1,
      organizerAlerted: 1,
      closeOffered: 1,
      closedNoFault: 1,
      rematched: 1,
    });
    expect(report.rematches).toEqual([
      {
        participant: ben.email,
        previousPartner: max.email,
        newPartner: eva.email,
        round: 3,
        reason: 'no-fault-close',
        participantName: 'Ben Example',
        previousPartnerName: 'Max Example',
        newPartnerName: 'Eva Example',
      },
    ]);
    expect(report.rematchRequests.find((r) => r.status === 'unplaceable')).toMatchObject({
      name: 'Eva Example',
      detail: 'no mentee waiting shares her topics',
    });
    expect(report.endings).toEqual([
      {
        pair: 'Ben Example & Max Example',
        kind: 'no-fault-close',
        reason: 'no answer from the mentor in 3 check-ins',
        round: 2,
      },
      { pair: 'Cho Example & Eva Example', kind: 'exit', reason: 'mentee left (no-fault exit)', round: 2 },
    ]);
    expect(report.exits).toEqual(['Cho Example (mentee)']);
  });

  it('groups topics as matching does (case, synonyms), counting each answer once', () => {
    expect(report.topics).toEqual([
      { topic: 'machine learning', count: 2, people: 2 },
      { topic: 'sql', count: 2, people: 1 },
      { topic: 'career change', count: 1, people: 1 },
    ]);
  });

  it('bins the match scores and counts what was sent', () => {
    expect(report.scores).toMatchObject({ count: 4, min: 47, max: 82.5, median: 58, mean: 61.4 });
    expect(report.scores.bins.filter((bin) => bin.count > 0)).toEqual([
      { from: 40, to: 50, count: 1 },
      { from: 50, to: 60, count: 1 },
      { from: 60, to: 70, count: 1 },
      { from: 80, to: 90, count: 1 },
    ]);
    expect(report.emails).toMatchObject({
      total: 22,
      'check-in': 10,
      nudge: 3,
      'midpoint-survey': 4,
      'organizer-digest': 1,
    });
    expect(report.pairs).toEqual({ total: 4, active: 2, ended: 2, meanScore: 61.4, fromRematch: 1 });
    expect(report.participants).toMatchObject({ total: 5, mentors: 2, mentees: 3, exited: 1 });
  });

  it('tells each pair’s story in pairs.csv', () => {
    expect(records.find((r) => r.pair === benMax.pairId)).toMatchObject({
      menteeName: 'Ben Example',
      mentorEmail: max.email,
      ladderRung: 'closedNoFault',
      roundsMet: 0,
      lastMetRound: null,
      meanRating: 2,
      endKind: 'no-fault-close',
    });
    expect(records.find((r) => r.pair === anaMax.pairId)).toMatchObject({ roundsMet: 3, lastMetRound: 3 });
  });

  it('writes the four files, the CSVs with their documented headers', () => {
    const files = reportFiles({ report, pairs: records });
    expect(Object.keys(files).sort()).toEqual(['pairs.csv', 'report.html', 'report.json', 'rounds.csv']);
    expect(JSON.parse(files['report.json'] ?? '')).toEqual(report);
    const pairRows = parse(files['pairs.csv'] ?? '') as string[][];
    expect(pairRows[0]).toEqual([...pairsCsvHeader]);
    expect(pairRows).toHaveLength(1 + pairs.length);
    const roundRows = parse(files['rounds.csv'] ?? '') as string[][];
    expect(roundRows[0]).toEqual([...roundsCsvHeader]);
    expect(roundRows[1]?.slice(0, 9)).toEqual([
      '1',
      'check-in',
      '2027-02-15',
      '5',
      '4',
      '0.8',
      '3',
      '2',
      '0.667',
    ]);
  });
});

describe('report.html', () => {
  const { report } = computeReport(sources);
  const html = reportFiles({ report, pairs: [] })['report.html'] ?? '';

  it('is one self-contained page: no script, no external resource of any kind', () => {
    expect(html).not.toMatch(/<script|<link(?![^>]*href="data:)|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/(?:src|href)="(?!data:)/i);
    expect(html).toContain("default-src 'none'");
  });

  it('gives every chart a title and a description, and its figures as a table', () => {
    const charts = html.match(/<svg[^>]*>/g) ?? [];
    expect(charts.length).toBeGreaterThanOrEqual(7);
    for (const svg of charts) expect(svg).toMatch(/role="img" aria-labelledby="[\w-]+-title [\w-]+-desc"/);
    expect((html.match(/<title id=/g) ?? []).length).toBe(charts.length);
    expect((html.match(/<desc id=/g) ?? []).length).toBe(charts.length);
    expect((html.match(/The figures as a table/g) ?? []).length).toBe(charts.length);
  });

  it('escapes what participants wrote', () => {
    const hostile = computeReport({
      ...sources,
      answers: [answer(ana, 3, { survey: { help: '<img src=x onerror=alert(1)>' } })],
    });
    const page = reportFiles({ ...hostile })['report.html'] ?? '';
    expect(page).not.toContain('<img src=x');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('the report kept after the purge', () => {
  const data = computeReport(sources);
  const kept = anonymizeReport(data, '2027-07-01T00:00:00.000Z');
  const text = JSON.stringify(kept);

  it('keeps every figure', () => {
    for (const field of ['rounds', 'overall', 'ratings', 'nps', 'ladder', 'scores', 'emails'] as const)
      expect(kept.report[field]).toEqual(data.report[field]);
    expect(kept.report.midpoint.helpCount).toBe(1);
    expect(kept.report).toMatchObject({ anonymized: true, purgedAt: '2027-07-01T00:00:00.000Z' });
    // A topic is free text: it stays only when three people or more named it.
    expect(kept.report.topics).toEqual([]);
  });

  it('names nobody: no name, no address, no words anyone wrote', () => {
    for (const p of participants) {
      expect(text).not.toContain(p.email);
      expect(text).not.toContain(p.name);
    }
    expect(text).not.toContain('More time on interviews');
    expect(text).not.toContain('no mentee waiting shares her topics');
    expect(kept.report.rematches[0]).toMatchObject({
      participant: 'mentee 2',
      previousPartner: 'mentor 1',
      newPartner: 'mentor 2',
    });
  });
});

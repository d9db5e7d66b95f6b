import type { CohortReportData } from './cohort-report.ts';

/**
 * The report as it is kept after the purge: the same figures, with every name, address and
 * free text gone. People become "mentee 3" and pairs "pair 7" (numbered in the order of the
 * pairs, so the rematches still read), the words participants wrote are only counted, the
 * reasons pairs ended are kept only as their kind (a reason may name someone), and a topic stays
 * only when at least three people named it (a topic is free text too).
 */
const topicPeople = 3;

export function anonymizeReport({ report, pairs }: CohortReportData, purgedAt: string): CohortReportData {
  const people = new Map<string, string>();
  const roleCounts = { mentee: 0, mentor: 0 };
  const label = (email: string, role: 'mentee' | 'mentor') => {
    let known = people.get(email);
    if (!known) {
      known = `${role} ${++roleCounts[role]}`;
      people.set(email, known);
    }
    return known;
  };
  const pairLabels = new Map<string, string>();
  pairs.forEach((pair, index) => {
    label(pair.menteeEmail, 'mentee');
    label(pair.mentorEmail, 'mentor');
    pairLabels.set(`${pair.menteeName} & ${pair.mentorName}`, `pair ${index + 1}`);
  });
  const person = (email: string | null) => (email === null ? null : (people.get(email) ?? 'a participant'));
  const pairOf = (names: string) => pairLabels.get(names) ?? 'a pair';
  return {
    report: {
      ...report,
      atRisk: report.atRisk.map(pairOf),
      exits: report.exits.map((exit) => `a ${/\((mentor|mentee)\)$/.exec(exit)?.[1] ?? 'participant'}`),
      rematches: report.rematches.map((rematch) => ({
        ...rematch,
        participant: person(rematch.participant) ?? '',
        previousPartner: person(rematch.previousPartner),
        newPartner: person(rematch.newPartner),
        participantName: person(rematch.participant) ?? '',
        previousPartnerName: person(rematch.previousPartner),
        newPartnerName: person(rematch.newPartner),
      })),
      rematchRequests: report.rematchRequests.map(({ detail: _detail, ...request }) => ({
        ...request,
        participant: person(request.participant) ?? '',
        name: person(request.participant) ?? '',
      })),
      endings: report.endings.map((ending) => ({ ...ending, pair: pairOf(ending.pair), reason: '' })),
      midpoint: { ...report.midpoint, help: [] },
      topics: report.topics.filter((topic) => topic.people >= topicPeople),
      purgedAt,
      anonymized: true,
    },
    pairs: pairs.map((pair, index) => ({
      ...pair,
      pair: `pair ${index + 1}`,
      menteeName: person(pair.menteeEmail) ?? '',
      menteeEmail: '',
      mentorName: person(pair.mentorEmail) ?? '',
      mentorEmail: '',
      endReason: '',
      atRiskReason: '',
      sharedTopics: [],
    })),
  };
}

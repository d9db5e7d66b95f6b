import { isActive } from '../cohorts/cohort.ts';
import { ladderRungs, type Pair } from '../cohorts/pair.ts';
import { cohortCalendar } from '../program/calendar.ts';
import { engagementOf } from '../program/program-schema.ts';
import { suggestedAction } from './engagement-ladder.ts';
import { loadCohort } from './load-cohort.ts';
import { type MailDeps, type SendSummary, sendToOrganizers } from './send-emails.ts';

export interface RoundDigest {
  round: number;
  totalRounds: number;
  isMidpoint: boolean;
  /** Participants the round's check-in went to. */
  sent: number;
  answered: number;
  pairs: number;
  pairsMet: number;
  /**
   * Pairs the engagement ladder flagged at risk, each as "mentee & mentor: reason. Suggested:
   * what to do" — the organizers' decision items.
   */
  atRisk: string[];
  notices: string[];
}

/** Where the cohort stands after a round: answers, meetings, stuck pairs, what needs the organizer. */
export async function buildDigest(cohortId: string, round: number, deps: MailDeps): Promise<RoundDigest> {
  const cohort = await loadCohort(deps.store, cohortId);
  const calendar = cohortCalendar(cohort.program, cohort.schedule);
  const previousRound = calendar.rounds[round - 2];
  const [pairs, participants, answers, notices] = await Promise.all([
    deps.pairs.listPairs(cohortId),
    deps.store.listParticipants(cohortId),
    deps.answers.listAnswerSummaries(cohortId, round),
    deps.notices.list(cohortId, previousRound?.date ?? ''),
  ]);
  const byEmail = new Map(participants.map((p) => [p.email, p]));
  const metNow = new Set(answers.filter((a) => a.met === true).map((a) => a.email));
  const engagement = engagementOf(cohort.program);
  const active = pairs.filter((pair) => pair.status === 'active' && pair.startRound < round);

  let sent = 0;
  let pairsMet = 0;
  const atRisk: string[] = [];
  for (const pair of active) {
    const mentee = byEmail.get(pair.menteeEmail);
    const mentor = byEmail.get(pair.mentorEmail);
    sent += [mentee, mentor].filter((p) => p && isActive(p)).length;
    if (metNow.has(pair.menteeEmail) || metNow.has(pair.mentorEmail)) pairsMet++;
    if (isAtRisk(pair)) {
      const names = `${mentee?.name ?? pair.menteeEmail} & ${mentor?.name ?? pair.mentorEmail}`;
      atRisk.push(`${names}: ${pair.ladder?.reason}. Suggested: ${suggestedAction(pair, engagement).text}.`);
    }
  }
  return {
    round,
    totalRounds: calendar.rounds.length,
    isMidpoint: round === calendar.midpointRound,
    sent,
    answered: answers.length,
    pairs: active.length,
    pairsMet,
    atRisk,
    notices: notices.map((notice) => notice.message),
  };
}

/** On the ladder's rungs from at-risk on, and not closed: the organizers decide. */
const isAtRisk = (pair: Pair) => {
  const rung = pair.ladder?.rung ? ladderRungs.indexOf(pair.ladder.rung) : -1;
  return rung >= ladderRungs.indexOf('atRisk') && rung < ladderRungs.indexOf('closedNoFault');
};

export async function sendDigest(cohortId: string, round: number, deps: MailDeps): Promise<SendSummary> {
  const cohort = await loadCohort(deps.store, cohortId);
  const digest = await buildDigest(cohortId, round, deps);
  return sendToOrganizers(cohort, 'organizer-digest', round, { digest }, deps);
}

import type { Answer } from '../cohorts/answer.ts';
import { isActive } from '../cohorts/cohort.ts';
import { cohortCalendar } from '../program/calendar.ts';
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
  /** Pairs with no meeting reported in this round or the one before, as "mentee & mentor". */
  atRisk: string[];
  notices: string[];
}

/** Where the cohort stands after a round: answers, meetings, stuck pairs, what needs the organizer. */
export async function buildDigest(cohortId: string, round: number, deps: MailDeps): Promise<RoundDigest> {
  const cohort = await loadCohort(deps.store, cohortId);
  const calendar = cohortCalendar(cohort.program, cohort.schedule);
  const previousRound = calendar.rounds[round - 2];
  const [pairs, participants, answers, earlier, notices] = await Promise.all([
    deps.pairs.listPairs(cohortId),
    deps.store.listParticipants(cohortId),
    deps.answers.listAnswers(cohortId, round),
    round > 1 ? deps.answers.listAnswers(cohortId, round - 1) : Promise.resolve([] as Answer[]),
    deps.notices.list(cohortId, previousRound?.date ?? ''),
  ]);
  const byEmail = new Map(participants.map((p) => [p.email, p]));
  const metIn = (list: Answer[]) => new Set(list.filter((a) => a.met === true).map((a) => a.email));
  const metNow = metIn(answers);
  const metBefore = metIn(earlier);
  const active = pairs.filter((pair) => pair.status === 'active' && pair.startRound < round);

  let sent = 0;
  let pairsMet = 0;
  const atRisk: string[] = [];
  for (const pair of active) {
    const mentee = byEmail.get(pair.menteeEmail);
    const mentor = byEmail.get(pair.mentorEmail);
    sent += [mentee, mentor].filter((p) => p && isActive(p)).length;
    const met = (set: Set<string>) => set.has(pair.menteeEmail) || set.has(pair.mentorEmail);
    if (met(metNow)) pairsMet++;
    else if (round > 1 && !met(metBefore))
      atRisk.push(`${mentee?.name ?? pair.menteeEmail} & ${mentor?.name ?? pair.mentorEmail}`);
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

export async function sendDigest(cohortId: string, round: number, deps: MailDeps): Promise<SendSummary> {
  const cohort = await loadCohort(deps.store, cohortId);
  const digest = await buildDigest(cohortId, round, deps);
  return sendToOrganizers(cohort, 'organizer-digest', round, { digest }, deps);
}

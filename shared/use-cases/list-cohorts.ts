import type { CohortPhase } from '../cohorts/cohort.ts';
import { cohortCalendar } from '../program/calendar.ts';
import { buildCohortReport, type ReportDeps } from './cohort-report.ts';
import { type Caller, canOrganize } from './organizer-access.ts';

/** A line of the console's cohorts page: where the cohort is, and what waits for its organizers. */
export interface CohortSummary {
  id: string;
  name: string;
  phase: CohortPhase;
  intake: { opens: string; closes: string };
  start: string;
  /** The cohort's last day (pauses and extensions included). */
  end: string;
  participants: { mentors: number; mentees: number; confirmed: number };
  /** The latest round whose check-ins went out, and the share answered (0–1); none before the first. */
  round?: { number: number; responseRate: number | null };
  /** What needs an organizer's decision, in words, most pressing first (empty: nothing). */
  decisions: string[];
}

/**
 * The cohorts a caller may see — those they organize; every cohort for an admin — oldest first,
 * each summed up from its report's figures (the same numbers as `tandem report`).
 */
export async function listCohorts(caller: Caller, deps: ReportDeps): Promise<CohortSummary[]> {
  const cohorts = (await deps.store.listCohorts()).filter((cohort) =>
    canOrganize(caller, cohort.id, cohort.program),
  );
  return Promise.all(
    cohorts.map(async (cohort): Promise<CohortSummary> => {
      const { report } = await buildCohortReport(cohort.id, deps);
      const { program } = cohort;
      const latest = report.rounds.findLast((round) => round.checkedIn > 0);
      return {
        id: cohort.id,
        name: program.name,
        phase: cohort.phase,
        intake: { opens: program.intake.opens, closes: program.intake.closes },
        start: program.start,
        end: cohortCalendar(program, cohort.schedule).end,
        participants: {
          mentors: report.participants.mentors,
          mentees: report.participants.mentees,
          confirmed: report.participants.confirmed,
        },
        ...(latest ? { round: { number: latest.round, responseRate: latest.responseRate } } : {}),
        decisions: decisionsOf(cohort.phase, report),
      };
    }),
  );
}

type Report = Awaited<ReturnType<typeof buildCohortReport>>['report'];

function decisionsOf(phase: CohortPhase, report: Report): string[] {
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const waiting = report.rematchRequests.filter((r) => r.status === 'queued' || r.status === 'proposed');
  return [
    ...(phase === 'review' ? ['Review and approve the match draft'] : []),
    ...(report.atRisk.length > 0 ? [`${count(report.atRisk.length, 'pair', 'pairs')} at risk`] : []),
    ...(waiting.length > 0 ? [`${count(waiting.length, 'person waits', 'people wait')} for a rematch`] : []),
    ...(report.deadLetters > 0
      ? [`${count(report.deadLetters, 'email', 'emails')} could not be sent: fix the cause, then resend`]
      : []),
  ];
}

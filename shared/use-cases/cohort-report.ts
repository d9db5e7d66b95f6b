import type { Cohort } from '../cohorts/cohort.ts';
import type {
  AnswerStore,
  Clock,
  CohortStore,
  EmailLedger,
  InboundLog,
  NoticeBoard,
  PairStore,
  PersonalDataStore,
  RematchQueue,
} from '../ports.ts';
import { cohortCalendar } from '../program/calendar.ts';
import type { CohortReportData } from '../report/cohort-report.ts';
import { computeReport, type ReportSources } from '../report/compute-report.ts';
import { loadCohort } from './load-cohort.ts';

export interface ReportDeps {
  store: CohortStore;
  pairs: PairStore;
  answers: AnswerStore;
  ledger: EmailLedger;
  notices: NoticeBoard;
  inbound: InboundLog;
  rematches: RematchQueue;
  personalData: PersonalDataStore;
  clock: Clock;
}

/**
 * The cohort report: computed from the cohort's items, or — once its personal data was purged —
 * the anonymized figures kept at the purge. `phases` replaces the phases a live cohort can
 * only derive from its calendar (a simulation knows when each one really ended).
 */
export async function buildCohortReport(
  cohortId: string,
  deps: ReportDeps,
  options: { phases?: ReportSources['phases'] } = {},
): Promise<CohortReportData> {
  const cohort = await loadCohort(deps.store, cohortId);
  const archive = await deps.personalData.getArchive(cohort.id);
  if (archive) return archive;
  const sources = await readReportSources(cohort, deps);
  return computeReport({ ...sources, ...(options.phases ? { phases: options.phases } : {}) });
}

/** Everything the report is computed from, read through the ports at once. */
export async function readReportSources(cohort: Cohort, deps: ReportDeps): Promise<ReportSources> {
  const rounds = cohortCalendar(cohort.program, cohort.schedule).rounds.map((round) => round.number);
  const [participants, pairs, answers, rematches, sent, inbound, notices, deadLetters] = await Promise.all([
    deps.store.listParticipants(cohort.id),
    deps.pairs.listPairs(cohort.id),
    Promise.all(rounds.map((round) => deps.answers.listAnswers(cohort.id, round))).then((all) => all.flat()),
    deps.rematches.list(cohort.id),
    deps.ledger.sentMessages(cohort.id),
    deps.inbound.counts(cohort.id),
    deps.notices.list(cohort.id),
    deps.ledger.listDeadLetters(cohort.id),
  ]);
  return {
    cohort,
    participants,
    pairs,
    answers,
    rematches,
    sent,
    inbound,
    notices: notices.length,
    deadLetters: deadLetters.length,
    now: deps.clock.now(),
  };
}

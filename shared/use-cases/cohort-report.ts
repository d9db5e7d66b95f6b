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
  RematchStore,
} from '../ports.ts';
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
  rematches: RematchStore;
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
  const [participants, pairs, answers, rematches, sent, inbound, notices, deadLetters] = await Promise.all([
    deps.store.listParticipants(cohort.id),
    deps.pairs.listPairs(cohort.id),
    // Every round's answers, without their texts (a figure never needs them), in one query.
    deps.answers.listAnswerSummaries(cohort.id).then((all) => all.filter((answer) => answer.round > 0)),
    deps.rematches.listRematches(cohort.id),
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

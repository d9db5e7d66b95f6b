import type { Cohort } from '../cohorts/cohort.ts';
import { dateLabel } from '../email/compose-email.ts';
import type { CohortReport } from '../report/cohort-report.ts';
import { reportHtml } from '../report/report-html.ts';
import { buildCohortReport, type ReportDeps } from '../use-cases/cohort-report.ts';
import { loadCohort } from '../use-cases/load-cohort.ts';
import { keptUntil, purgeCohortData, purgeDateOf } from '../use-cases/personal-data.ts';
import { type MailDeps, sendToOrganizers } from '../use-cases/send-emails.ts';
import { awake, type WorkflowState } from './workflow-state.ts';

/**
 * The cohort's last steps: the report to the organizers the day it closes, then a wait until
 * its retention period ends, then the purge of its personal data. Each step is idempotent: the
 * ledger sends the report once, and the purge finishes whatever a stopped run left.
 */
export type RetentionDeps = MailDeps & ReportDeps;

export async function reportCohort(state: WorkflowState, deps: RetentionDeps): Promise<WorkflowState> {
  const cohort = await loadCohort(deps.store, state.cohortId);
  const { report } = await buildCohortReport(cohort.id, deps);
  await sendToOrganizers(cohort, 'organizer-report', 0, { report: reportSummary(cohort, report) }, deps, [
    { fileName: 'report.html', contentType: 'text/html; charset=utf-8', content: reportHtml(report) },
  ]);
  return awake(state);
}

/** Sleeps until the purge date (at once when it has passed, or the purge ran already). */
export async function planPurge(state: WorkflowState, deps: RetentionDeps): Promise<WorkflowState> {
  const cohort = await loadCohort(deps.store, state.cohortId);
  const now = deps.clock.now().getTime();
  const at = cohort.purgedAt ? now : Math.max(now, purgeDateOf(cohort).getTime());
  return { ...state, wakeAt: new Date(at).toISOString() };
}

export async function purgeCohort(state: WorkflowState, deps: RetentionDeps): Promise<WorkflowState> {
  await purgeCohortData(state.cohortId, deps);
  return awake(state);
}

/** The figures the report email carries in its text, for organizers who never open the file. */
function reportSummary(cohort: Cohort, report: CohortReport) {
  const percent = (share: number | null) => (share === null ? '–' : `${Math.round(share * 100)}%`);
  return {
    participants: report.participants.total,
    pairs: report.pairs.total,
    responseRate: percent(report.overall.responseRate),
    meetingRate: percent(report.overall.meetingRate),
    nps:
      report.nps.score === null
        ? 'no answers'
        : `${report.nps.score} (${report.nps.responses} answers: ${report.nps.promoters} promoters, ${report.nps.passives} passives, ${report.nps.detractors} detractors)`,
    rematches: report.rematches.length,
    exits: report.exits.length,
    keptUntil: dateLabel(keptUntil(cohort)),
    retentionDays: cohort.program.retentionDays,
  };
}

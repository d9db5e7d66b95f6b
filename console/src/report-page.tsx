import type { CohortReportData } from '../../shared/report/cohort-report.ts';
import { reportSections } from '../../shared/report/report-html.ts';
import type { Api } from './api.ts';
import { Loading } from './parts.tsx';
import { useLoad } from './use-load.ts';

/**
 * The cohort report: the same sections, charts and figures as `tandem report`'s report.html,
 * rendered by the same code from the same route (every value in it escaped by that code).
 */
export function ReportPage({ api, cohortId }: { api: Api; cohortId: string }) {
  const [loaded] = useLoad(
    () => api<CohortReportData>('GET', `/cohorts/${encodeURIComponent(cohortId)}/report`),
    cohortId,
  );
  return (
    <>
      <p class="crumbs">
        <a href="#/">Cohorts</a> › <a href={`#/cohorts/${encodeURIComponent(cohortId)}`}>{cohortId}</a> ›
        Report
      </p>
      <Loading loaded={loaded} what="the report">
        {({ report }) => (
          // report-html.ts escapes every value it writes into this HTML.
          <div class="report" dangerouslySetInnerHTML={{ __html: reportSections(report) }} />
        )}
      </Loading>
    </>
  );
}

import type { CohortReportData } from './cohort-report.ts';
import { pairsCsv, roundsCsv } from './report-csv.ts';
import { reportHtml } from './report-html.ts';

/** The files `tandem report` writes, by name, from the report's data. */
export function reportFiles({ report, pairs }: CohortReportData): Record<string, string> {
  return {
    'report.json': `${JSON.stringify(report, null, 2)}\n`,
    'report.html': reportHtml(report),
    'pairs.csv': pairsCsv(pairs),
    'rounds.csv': roundsCsv(report.rounds),
  };
}

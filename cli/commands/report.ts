import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CohortReportData } from '../../shared/report/cohort-report.ts';
import { reportFiles } from '../../shared/report/report-files.ts';
import { connect, type TargetOptions } from '../api-client.ts';
import { action, printJson } from '../run.ts';
import { withTargetOptions } from './target-options.ts';

type OutOptions = TargetOptions & { out: string; json?: boolean };

export function registerReport(cli: Command): void {
  withTargetOptions(
    cli
      .command('report')
      .description(
        "write a cohort's report: report.html (one self-contained page), report.json, pairs.csv and rounds.csv",
      )
      .argument('<cohort>', 'the cohort id')
      .option('--out <dir>', 'folder for the report files', 'report')
      .option('--json', 'print report.json instead of the summary'),
  ).action(
    action(async (cohortId: string, options: OutOptions) => {
      const api = await connect(options);
      const data = await api.request<CohortReportData & { files: Record<string, string> }>(
        'GET',
        `/cohorts/${encodeURIComponent(cohortId)}/report`,
      );
      const out = await writeFiles(options.out, data.files);
      if (options.json) return printJson(data.report);
      const { report } = data;
      console.log(
        `✓ ${report.program}: report of ${report.cohortId}${report.anonymized ? ' (personal data purged: figures without names)' : ''}`,
      );
      console.log(
        `  ${report.participants.total} participants, ${report.pairs.total} pairs, ${percent(report.overall.responseRate)} of check-ins answered, NPS ${report.nps.score ?? '–'}`,
      );
      console.log(`  ${out}: report.html, report.json, pairs.csv, rounds.csv`);
    }),
  );
}

/** Writes the report's files into the folder; returns the folder's path. */
export async function writeReportFiles(folder: string, data: CohortReportData): Promise<string> {
  return writeFiles(folder, reportFiles(data));
}

/** Writes the files by name into the folder (created if needed); returns the folder's path. */
export async function writeFiles(folder: string, files: Record<string, string>): Promise<string> {
  const out = resolve(folder);
  await mkdir(out, { recursive: true });
  for (const [name, content] of Object.entries(files)) await writeFile(join(out, name), content);
  return out;
}

const percent = (share: number | null) => (share === null ? '–' : `${Math.round(share * 100)}%`);

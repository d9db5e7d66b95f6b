import type { Command } from 'commander';
import { formatIssues } from '../../shared/errors.ts';
import { readInputFile } from '../../shared/input-files.ts';
import type { ImportReport } from '../../shared/use-cases/import-applications.ts';
import { connect, type TargetOptions } from '../api-client.ts';
import { action, printJson } from '../run.ts';
import { withTargetOptions } from './target-options.ts';

export function registerImport(cli: Command): void {
  withTargetOptions(
    cli
      .command('import')
      .description('load applications from a CSV export into a cohort; bad rows are reported by line')
      .argument(
        '<csv>',
        'CSV with header email,name,role,organization,years_experience,topics,timezone,languages,capacity,preferred,avoid',
      )
      .requiredOption('--cohort <id>', 'the cohort to import into')
      .option('--strict', 'import nothing when any row has a problem')
      .option('--json', 'print the import report as JSON'),
  ).action(
    action(
      async (file: string, options: TargetOptions & { cohort: string; strict?: boolean; json?: boolean }) => {
        const text = await readInputFile(file, 'CSV file');
        const api = await connect(options);
        const query = options.strict ? '?strict=true' : '';
        const report = await api.request<ImportReport>(
          'POST',
          `/cohorts/${encodeURIComponent(options.cohort)}/imports${query}`,
          { text, type: 'text/csv; charset=utf-8' },
        );
        if (report.rejected.length > 0) process.exitCode = 1;
        if (options.json) return printJson(report);
        console.log(
          `✓ ${report.created} applications imported, ${report.updated} updated into ${report.cohortId}`,
        );
        for (const row of report.superseded) {
          console.log(
            `  line ${row.line}: ${row.email} appears again on line ${row.byLine}; the later row was kept`,
          );
        }
        if (report.ignoredColumns.length > 0)
          console.log(`  ignored columns: ${report.ignoredColumns.join(', ')}`);
        if (report.rejected.length > 0) {
          console.error(`✗ ${report.rejected.length} rows were not imported:`);
          console.error(formatIssues(report.rejected.flatMap((row) => row.issues)));
          console.error(
            'Fix those rows and import the file again: rows already imported are updated, not duplicated.',
          );
        }
      },
    ),
  );
}

import type { Command } from 'commander';
import type { ForgetResult } from '../../shared/use-cases/personal-data.ts';
import { connect, type TargetOptions } from '../api-client.ts';
import { action, printJson } from '../run.ts';
import { writeFiles } from './report.ts';
import { withTargetOptions } from './target-options.ts';

/** Personal data before it leaves: the cohort's records (`export`), and one person's erasure (`forget`). */
export function registerPersonalData(cli: Command): void {
  withTargetOptions(
    cli
      .command('export')
      .description(
        "write a cohort's records as CSV (participants, pairs, rounds, answers with their words) before its personal data is purged",
      )
      .argument('<cohort>', 'the cohort id')
      .option('--out <dir>', 'folder for the CSV files', 'export'),
  ).action(
    action(async (cohortId: string, options: TargetOptions & { out: string }) => {
      const api = await connect(options);
      const { files } = await api.request<{ files: Record<string, string> }>(
        'GET',
        `/cohorts/${encodeURIComponent(cohortId)}/export`,
      );
      const out = await writeFiles(options.out, files);
      console.log(`✓ exported ${cohortId}: ${Object.keys(files).join(', ')} in ${out}`);
    }),
  );

  withTargetOptions(
    cli
      .command('forget')
      .description(
        'erase a person from every cohort on their request (admins only); only a hash of the address stays, so they get no more email',
      )
      .argument('<email>', 'their email address')
      .option('--json', 'print the outcome as JSON'),
  ).action(
    action(async (email: string, options: TargetOptions & { json?: boolean }) => {
      const api = await connect(options);
      const result = await api.request<ForgetResult>('POST', '/erasures', { json: { email } });
      if (options.json) return printJson(result);
      console.log(`✓ ${email} will get no more email from Tandem.`);
      if (result.cohorts.length === 0)
        console.log('  They are in no cohort: nothing else was stored about them.');
      for (const cohort of result.cohorts) {
        console.log(
          `  ${cohort.cohortId}: ${cohort.deleted} items deleted, ${cohort.redacted} redacted${cohort.pairsEnded ? `, ${cohort.pairsEnded} pair ended` : ''}`,
        );
      }
    }),
  );
}

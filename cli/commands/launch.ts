import type { Command } from 'commander';
import type { Cohort } from '../../shared/cohorts/cohort.ts';
import { loadProgramFile } from '../../shared/program/load-program.ts';
import { connect, type TargetOptions } from '../api-client.ts';
import { action, printJson } from '../run.ts';
import { withTargetOptions } from './target-options.ts';

export function registerLaunch(cli: Command): void {
  withTargetOptions(
    cli
      .command('launch')
      .description('create the cohort described by a program file; intake opens on its dates')
      .argument('<program>', 'the program file (YAML or JSON)')
      .option('--json', 'print the created cohort as JSON'),
  ).action(
    action(async (file: string, options: TargetOptions & { json?: boolean }) => {
      const program = await loadProgramFile(file);
      const api = await connect(options);
      const cohort = await api.request<Cohort>('POST', '/cohorts', { json: program });
      if (options.json) return printJson(cohort);
      console.log(`✓ launched cohort ${cohort.id}: ${cohort.program.name}`);
      console.log(`  applications: POST ${api.baseUrl}/cohorts/${cohort.id}/applications`);
      console.log(`  intake ${cohort.program.intake.opens} → ${cohort.program.intake.closes}`);
    }),
  );
}

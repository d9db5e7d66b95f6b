import type { Command } from 'commander';
import { loadProgramFile } from '../../shared/program/load-program.ts';
import { cohortIdOf } from '../../shared/use-cases/launch-cohort.ts';
import { action, printJson } from '../run.ts';

export function registerValidate(cli: Command): void {
  cli
    .command('validate')
    .description('check a program file and print every problem in it, with line numbers and hints')
    .argument('<program>', 'the program file (YAML or JSON)')
    .option('--json', 'print the program with all defaults applied, as JSON')
    .action(
      action(async (file: string, options: { json?: boolean }) => {
        const program = await loadProgramFile(file);
        if (options.json) return printJson(program);
        console.log(`✓ ${file} is valid`);
        console.log(`  ${program.name} (cohort id: ${cohortIdOf(program)})`);
        console.log(`  intake ${program.intake.opens} → ${program.intake.closes}, starts ${program.start}`);
        console.log(
          `  ${program.lengthMonths} months, ${program.cadence} check-ins, mentors take up to ${program.mentorCapacity} mentees`,
        );
        console.log(`  matching: ${program.matching.objective}; timezone ${program.timezone}`);
      }),
    );
}

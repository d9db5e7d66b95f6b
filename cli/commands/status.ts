import type { Command } from 'commander';
import type { CohortStatus } from '../../shared/use-cases/get-cohort-status.ts';
import { connect, type TargetOptions } from '../api-client.ts';
import { action, printJson } from '../run.ts';
import { withTargetOptions } from './target-options.ts';

export function registerStatus(cli: Command): void {
  withTargetOptions(
    cli
      .command('status')
      .description("show a cohort's phase, intake window and participants")
      .argument('<cohort>', 'the cohort id')
      .option('--json', 'print the status as JSON'),
  ).action(
    action(async (cohortId: string, options: TargetOptions & { json?: boolean }) => {
      const api = await connect(options);
      const status = await api.request<CohortStatus>('GET', `/cohorts/${encodeURIComponent(cohortId)}`);
      if (options.json) return printJson(status);
      printStatus(status);
    }),
  );
}

export function printStatus(status: CohortStatus): void {
  const { participants: p } = status;
  console.log(`${status.name} (${status.id})`);
  console.log(`  phase:        ${status.phase}`);
  console.log(
    `  intake:       ${status.intake.opens} → ${status.intake.closes} (${status.intake.state.replaceAll('_', ' ')})`,
  );
  console.log(
    `  cohort:       starts ${status.start}, ${status.lengthMonths} months, ${status.cadence} check-ins`,
  );
  console.log(
    `  participants: ${p.mentors} mentors (room for ${p.mentorCapacity} mentees), ${p.mentees} mentees, ${p.confirmed} confirmed`,
  );
  if (p.unsubscribed + p.undeliverable > 0) {
    console.log(`  not mailed:   ${p.unsubscribed} unsubscribed, ${p.undeliverable} undeliverable`);
  }
  const { personalData } = status;
  console.log(
    personalData.purgedAt
      ? `  personal data: purged on ${personalData.purgedAt.slice(0, 10)}; the report's figures remain`
      : `  personal data: kept until ${personalData.keptUntil} (export it first: tandem export ${status.id})`,
  );
  if (status.deadLetters > 0)
    console.log(
      `  dead letters: ${status.deadLetters} emails could not be sent (see notices); once fixed: tandem resend ${status.id}`,
    );
  if (status.notices.length > 0) {
    console.log('  notices:');
    for (const notice of status.notices)
      console.log(`    ${notice.at.slice(0, 16).replace('T', ' ')}  ${notice.message}`);
  }
}

import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { DateTime } from 'luxon';
import { startLocalStack } from '../../local/local-stack.ts';
import { loadProgramFile } from '../../shared/program/load-program.ts';
import { shiftProgram } from '../../shared/program/shift-program.ts';
import type { CohortStatus } from '../../shared/use-cases/get-cohort-status.ts';
import type { ImportReport } from '../../shared/use-cases/import-applications.ts';
import { type ApiClient, connect } from '../api-client.ts';
import { action } from '../run.ts';
import { printStatus } from './status.ts';

export function registerDemo(cli: Command): void {
  cli
    .command('demo')
    .description(
      'start the local stack, launch the example cohort, apply through the API, print the outcome, stop',
    )
    .option('--program <file>', 'program file', 'examples/program.yaml')
    .option('--applications <file>', 'applications CSV', 'examples/applications.csv')
    .action(
      action(async (options: { program: string; applications: string }) => {
        const example = await loadProgramFile(options.program);
        const today = DateTime.now().setZone(example.timezone).toISODate() ?? '';
        const program = shiftProgram(example, today);
        console.log(`Starting DynamoDB Local, the SES inbox and the HTTP API…`);
        const stack = await startLocalStack();
        try {
          const api = await connect({ apiUrl: stack.apiUrl });
          await runDemo(api, program, await readFile(options.applications, 'utf8'));
        } finally {
          await stack.stop();
          console.log('Local stack stopped.');
        }
      }),
    );
}

async function runDemo(api: ApiClient, program: Parameters<typeof shiftProgram>[0], csv: string) {
  console.log(
    `\n1. Launch ${program.name} (dates moved so that intake opens today, ${program.intake.opens})`,
  );
  const cohort = await api.request<{ id: string }>('POST', '/cohorts', { json: program });
  console.log(`   POST /cohorts → cohort ${cohort.id}`);

  console.log('\n2. Import the organizer’s CSV export');
  const report = await api.request<ImportReport>('POST', `/cohorts/${cohort.id}/imports`, {
    text: csv,
    type: 'text/csv',
  });
  console.log(
    `   POST /cohorts/${cohort.id}/imports → ${report.created} created, ${report.rejected.length} rejected`,
  );

  console.log('\n3. An applicant applies on the web form, then changes their mind about the topics');
  const application = {
    email: '  Noor.Hassan@Example.com ',
    name: 'Noor Hassan',
    role: 'mentee',
    organization: 'Proseware',
    years_experience: 1,
    topics: ['data engineering', 'SQL'],
    timezone: 'Africa/Cairo',
    languages: ['Arabic', 'English'],
    consent: true,
  };
  const first = await api.request<{ status: string; email: string }>(
    'POST',
    `/cohorts/${cohort.id}/applications`,
    {
      json: application,
    },
  );
  console.log(`   POST /cohorts/${cohort.id}/applications → ${first.status} (${first.email})`);
  const second = await api.request<{ status: string }>('POST', `/cohorts/${cohort.id}/applications`, {
    json: { ...application, topics: 'data engineering; career change' },
  });
  console.log(`   same email again → ${second.status}, not duplicated`);

  console.log('\n4. A careless application is refused with every problem listed');
  try {
    await api.request('POST', `/cohorts/${cohort.id}/applications`, {
      json: { email: 'not-an-email', role: 'coach', timezone: 'Mars/Olympus', consent: false },
    });
  } catch (error) {
    console.log(`   → ${(error as Error).message}`);
    for (const issue of (error as { issues?: { path: string; message: string }[] }).issues ?? []) {
      console.log(`     ${issue.path}: ${issue.message}`);
    }
  }

  console.log('\n5. The cohort now');
  printStatus(await api.request<CohortStatus>('GET', `/cohorts/${cohort.id}`));
  console.log('\nTo keep the backend up and try the CLI yourself: npm run dev');
}

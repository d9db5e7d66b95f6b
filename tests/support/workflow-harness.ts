import { DateTime } from 'luxon';
import type { HandlerDeps } from '../../functions/adapters.ts';
import { VirtualClock } from '../../local/virtual-clock.ts';
import { LocalStepFunctions, type SimulatedWorld } from '../../local/workflow/local-step-functions.ts';
import { loadWorkflowDefinitions } from '../../local/workflow/workflow-definitions.ts';
import { parseProgram } from '../../shared/program/load-program.ts';
import { launchCohort } from '../../shared/use-cases/launch-cohort.ts';
import { startWorkflow } from '../../shared/workflow/schedule-commands.ts';
import { type SeedPerson, seedParticipants } from './cohort-fixture.ts';
import { setHandlerEnvironment } from './handler-environment.ts';
import { createTestTable } from './local-table.ts';
import { type CapturedEmail, capturedEmails, header } from './mail-deps.ts';

/** A scripted world: things that happen at virtual times while the workflow waits. */
export class ScriptedWorld implements SimulatedWorld {
  #events: { at: number; run: () => Promise<void> }[] = [];

  at(time: number, run: () => Promise<void>): void {
    this.#events.push({ at: time, run });
    this.#events.sort((a, b) => a.at - b.at);
  }

  nextEventAt(): number | undefined {
    return this.#events[0]?.at;
  }

  async runUntil(time: number): Promise<void> {
    while (this.#events[0] && this.#events[0].at <= time) {
      const event = this.#events.shift();
      await event?.run();
    }
  }
}

/**
 * The cohort workflow on the local runner, against the shared DynamoDB Local and SES inbox:
 * handlers get this test file's table through the same environment variables a deployed
 * function gets; time is virtual (installed as `Date` in this test file's worker). One per
 * test file (handlers build their adapters once per process); each test adds a cohort.
 */
export async function startWorkflowHarness() {
  const table = await createTestTable();
  const clock = new VirtualClock({ start: new Date('2027-01-20T08:00:00Z'), speed: 1e9 });
  const uninstall = clock.install();
  let world = new ScriptedWorld();
  const definitions = loadWorkflowDefinitions();
  const workflow = new LocalStepFunctions(definitions, {
    clock,
    world: { nextEventAt: () => world.nextEventAt(), runUntil: (time) => world.runUntil(time) },
  });
  const sfn = await workflow.serve();
  setHandlerEnvironment(table, {
    AWS_ENDPOINT_URL_SFN: sfn.url,
    PUBLIC_API_URL: 'https://tandem.test',
    SES_MAX_SEND_RATE: '1000',
    COHORT_STATE_MACHINE_ARN: definitions.cohort.arn,
  });
  const { handlerDeps } = await import('../../functions/adapters.ts');
  const deps: HandlerDeps = handlerDeps();
  const day = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Berlin' }).toMillis();

  /** A cohort whose intake is over: its workflow goes straight to matching. */
  async function cohort(options: { id: string; people: SeedPerson[]; programYaml?: string }) {
    await workflow.stopAll();
    workflow.clearFaults();
    world = new ScriptedWorld();
    clock.setTo(new Date('2027-01-20T08:00:00Z'));
    const program = parseProgram(`
name: Workflow Test
id: ${options.id}
organizers: [{ name: Grace Hopper, email: grace@${options.id}.example }]
sender: { address: mentoring@example.org }
timezone: Europe/Berlin
intake: { opens: 2027-01-04, closes: 2027-01-19 }
start: 2027-02-01
lengthMonths: 2
cadence: biweekly
${options.programYaml ?? ''}
`);
    const launched = await launchCohort(program, deps);
    await seedParticipants(deps.store, launched.id, options.people);
    const addresses = options.people.map((p) => p.email).concat(program.organizers.map((o) => o.email));
    const emails = () => capturedEmails(addresses);
    return {
      cohortId: launched.id,
      world,
      /** Starts the cohort's workflow execution, as `tandem launch` does. */
      start: () => startWorkflow(launched.id, deps),
      emails,
      /** How often each message (recipient, kind, round) arrived: every value must be 1. */
      copies: async () => {
        const counts = new Map<string, number>();
        for (const email of await emails()) {
          const key = header(email, 'X-Tandem-Message') ?? email.subject;
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
        return counts;
      },
    };
  }

  return {
    deps,
    clock,
    workflow,
    day,
    cohort,
    /** The execution of that name, once it has settled. */
    settled: async (name: string) => {
      const execution = workflow.executions().find((e) => e.name === name);
      if (!execution) throw new Error(`no execution ${name}`);
      await execution.result.catch(() => {});
      return execution;
    },
    /** The cohort's last execution once it has settled, following pauses, resumes and restarts. */
    async lastExecution(cohortId: string) {
      for (;;) {
        const name = (await deps.store.getCohort(cohortId))?.workflow?.executionName ?? '';
        const execution = workflow.executions().find((e) => e.name === name);
        // The name is stored just before the execution starts.
        if (!execution) {
          await new Promise((resolve) => setTimeout(resolve, 10));
          continue;
        }
        await execution.result.catch(() => {});
        const latest = (await deps.store.getCohort(cohortId))?.workflow?.executionName;
        if (latest === name) return execution;
      }
    },
    async stop() {
      await workflow.stopAll();
      await sfn.stop();
      uninstall();
      await table.drop();
    },
  };
}

export const kindOf = (email: CapturedEmail) => header(email, 'X-Tandem-Message')?.split('/')[2];
export const roundOf = (email: CapturedEmail) => Number(header(email, 'X-Tandem-Message')?.split('/')[3]);

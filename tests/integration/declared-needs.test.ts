import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { apiRoutes } from '../../functions/api/routes.ts';
import { combinedNeeds, type FunctionNeeds } from '../../functions/function-needs.ts';
import { inboundEmailNeeds } from '../../infra/constructs/email-receiving.ts';
import { sesEventsNeeds } from '../../infra/constructs/email-sending.ts';
import { tableActions } from '../../infra/constructs/grant-needs.ts';
import { workflowStepNeeds } from '../../infra/workflow/cohort-workflow.ts';
import { loadProgramFile } from '../../shared/program/load-program.ts';

/**
 * The declarations that IAM is built from (FunctionNeeds), checked against what the handlers
 * really do: a whole cohort runs on the local stack (DynamoDB Local, the synthesized state
 * machines, replies through the inbound pipeline, SES events), and every DynamoDB call is
 * recorded with the handler that made it. DynamoDB Local checks no permission, so an action
 * missing from a declaration would only show on AWS, as AccessDenied; here it fails the test.
 */
const running = new AsyncLocalStorage<string>();
const used = new Map<string, Set<string>>();

/** Which handler file wraps itself with `instrumented`: read from the stack of that call. */
const handlerFileOf = (stack: string | undefined) =>
  /functions\/((?:api|events|workflow)\/(?!workflow-step)[\w-]+)\.ts/.exec(stack ?? '')?.[1];

vi.mock('../../functions/powertools.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../functions/powertools.ts')>();
  return {
    ...actual,
    instrumented: <E, R>(handler: (event: E, context: Context) => Promise<R>) => {
      const file = handlerFileOf(new Error().stack) ?? 'unknown';
      const wrapped = actual.instrumented(handler);
      return (event: E, context: Context) => running.run(file, () => wrapped(event, context));
    },
  };
});

/** The IAM actions a DynamoDB request needs; a transaction is authorized item by item. */
function actionsOf(commandName: string, input: Record<string, unknown>): string[] {
  const name = commandName.replace(/Command$/, '').replace(/Items?$/, '');
  if (name === 'TransactWrite') {
    const items = (input.TransactItems ?? []) as Record<string, unknown>[];
    return items.flatMap((item) =>
      Object.keys(item).map(
        (kind) => `dynamodb:${kind === 'ConditionCheck' ? 'ConditionCheckItem' : `${kind}Item`}`,
      ),
    );
  }
  const plain: Record<string, string> = {
    Get: 'GetItem',
    Put: 'PutItem',
    Update: 'UpdateItem',
    Delete: 'DeleteItem',
    Query: 'Query',
    Scan: 'Scan',
    BatchGet: 'BatchGetItem',
    BatchWrite: 'BatchWriteItem',
    TransactGet: 'GetItem',
  };
  return [`dynamodb:${plain[name] ?? name}`];
}

vi.mock('../../shared/adapters/dynamodb/document-client.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../shared/adapters/dynamodb/document-client.ts')>();
  return {
    createDocumentClient: (
      ...args: Parameters<typeof actual.createDocumentClient>
    ): DynamoDBDocumentClient => {
      const client = actual.createDocumentClient(...args);
      client.middlewareStack.add(
        (next, context) => async (call) => {
          const file = running.getStore();
          if (file) {
            const actions = used.get(file) ?? new Set<string>();
            for (const action of actionsOf(context.commandName ?? '', call.input as Record<string, unknown>))
              actions.add(action);
            used.set(file, actions);
          }
          return next(call);
        },
        { step: 'initialize', name: 'recordTableActions' },
      );
      return client;
    },
  };
});

/** What a handler file declares, as the stack reads it. */
function declaredNeeds(file: string): FunctionNeeds | undefined {
  const [kind, name = ''] = file.split('/');
  if (kind === 'api') {
    const routes = apiRoutes.filter((route) => route.handler === name);
    return routes.length ? combinedNeeds(routes) : undefined;
  }
  if (kind === 'workflow') return workflowStepNeeds[name] ?? {};
  if (file === 'events/inbound-email') return inboundEmailNeeds;
  if (file === 'events/ses-events') return sesEventsNeeds;
  return undefined;
}

function allowedActions(needs: FunctionNeeds): Set<string> {
  return new Set<string>([
    ...tableActions.read,
    ...(needs.table === 'write' ? tableActions.write : []),
    ...(needs.deletesItems ? tableActions.deletesItems : []),
    ...(needs.batchWrites ? tableActions.batchWrites : []),
  ]);
}

describe('declared needs cover what each handler does', () => {
  let finish: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const { runSimulation } = await import('../../local/simulation/simulation.ts');
    const program = await loadProgramFile('examples/program.yaml');
    const run = await runSimulation({
      program,
      participants: 8,
      seed: 11,
      // As fast as the engines go (`tandem simulate`'s default pace).
      speed: 2_592_000,
      timeoutMs: 240_000,
    });
    finish = run.finish;
    // Organizer routes the simulated cohort does not need, once it has run.
    await run.api.request('GET', `/cohorts/${run.cohortId}`);
    await run.api.request('GET', '/cohorts');
    await run.api.request('GET', `/cohorts/${run.cohortId}/applicants`);
    const someone = run.people[0]?.email ?? '';
    await run.api.request(
      'GET',
      `/cohorts/${run.cohortId}/reply-address?email=${encodeURIComponent(someone)}&round=1`,
    );
    await run.api.request('GET', `/cohorts/${run.cohortId}/drafts/latest`);
    // The report and the export, a person forgotten, then the cohort's last steps (the
    // simulation ends before its retention period does): its plan, its purge, the report kept.
    await run.api.request('GET', `/cohorts/${run.cohortId}/report`);
    await run.api.request('GET', `/cohorts/${run.cohortId}/export`);
    await run.api.request('POST', '/erasures', { json: { email: someone } });
    const step = async (name: string) => {
      const { handler } = (await import(`../../functions/workflow/${name}.ts`)) as {
        handler: (event: unknown, context: Context) => Promise<unknown>;
      };
      await handler({ state: { cohortId: run.cohortId } }, {} as Context);
    };
    await step('plan-purge');
    await step('purge-cohort');
    await run.api.request('GET', `/cohorts/${run.cohortId}/report`);
  }, 300_000);
  afterAll(async () => {
    await finish?.();
  });

  it('records the handlers of a whole cohort', () => {
    for (const file of [
      'api/launch-cohort',
      'api/submit-application',
      'api/approve-match-draft',
      'api/get-reply-address',
      'events/inbound-email',
      'events/ses-events',
      'workflow/plan-wave',
      'workflow/send-wave-batch',
      'workflow/close-round',
      'workflow/request-approval',
      'workflow/start-pairs',
      'workflow/report-cohort',
      'workflow/plan-purge',
      'workflow/purge-cohort',
      'api/get-cohort-report',
      'api/list-cohorts',
      'api/list-applicants',
      'api/export-cohort',
      'api/forget-person',
    ]) {
      expect([...used.keys()]).toContain(file);
    }
  });

  it('no handler uses a table action its declaration does not grant', () => {
    const overreach = [...used].flatMap(([file, actions]) => {
      const needs = declaredNeeds(file);
      if (!needs)
        return [`${file}: no declaration found (a route row, a workflow step, or an event function)`];
      const allowed = allowedActions(needs);
      return [...actions]
        .filter((action) => !allowed.has(action))
        .map(
          (action) =>
            `${file} calls ${action}, which its declaration ${JSON.stringify(needs)} does not grant`,
        );
    });
    expect(overreach).toEqual([]);
  });

  it('read-only declarations are really read-only in use', () => {
    const readers = [...used].filter(([file]) => (declaredNeeds(file)?.table ?? 'read') === 'read');
    expect(readers.length).toBeGreaterThan(0);
    for (const [file, actions] of readers) {
      expect(
        [...actions].every((action) => (tableActions.read as readonly string[]).includes(action)),
        file,
      ).toBe(true);
    }
  });
});

import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { invalidInput } from '../../shared/errors.ts';
import { programHints, programSchema } from '../../shared/program/program-schema.ts';
import { launchCohort } from '../../shared/use-cases/launch-cohort.ts';
import { issuesFromZod, knownKeysOf } from '../../shared/validation/zod-issues.ts';
import { startWorkflow } from '../../shared/workflow/schedule-commands.ts';
import { handlerDeps } from '../adapters.ts';
import { jsonBody, parseRequest, respond } from '../http.ts';
import { instrumented } from '../powertools.ts';

const maxBodyBytes = 256 * 1024;
const programKeys = knownKeysOf(programSchema);

/** Launches a cohort from a program, sent as JSON (the CLI converts the YAML file), and starts its workflow. */
export const handler = instrumented(async (event: APIGatewayProxyEventV2) =>
  respond(event, async () => {
    parseRequest(event, z.unknown());
    const parsed = programSchema.safeParse(jsonBody(event, maxBodyBytes));
    if (!parsed.success) {
      throw invalidInput('The program is not valid', issuesFromZod(parsed.error, programHints, programKeys));
    }
    const deps = handlerDeps();
    const cohort = await launchCohort(parsed.data, deps);
    // The cohort's workflow starts at once: it waits for intake to close, then runs the cohort.
    const executionName = await startWorkflow(cohort.id, deps);
    return { status: 201, body: { ...cohort, workflow: { executionName } } };
  }),
);

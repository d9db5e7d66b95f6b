import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { cohortIdField } from '../../shared/validation/fields.ts';
import {
  endCohort,
  extendCohort,
  pauseCohort,
  restartWorkflow,
  resumeCohort,
} from '../../shared/workflow/schedule-commands.ts';
import { handlerDeps } from '../adapters.ts';
import { parseBody, parseRequest, respond } from '../http.ts';
import { instrumented } from '../powertools.ts';

const extensionSchema = z.object({
  weeks: z.number({ error: 'is required: how many weeks to add, e.g. {"weeks": 4}' }),
});

/** The organizers' controls of a running cohort: pause, resume, extend, end early, restart. */
export const handler = instrumented(async (event: APIGatewayProxyEventV2) =>
  respond(event, async () => {
    const request = parseRequest(event, z.object({ cohortId: cohortIdField }));
    const { cohortId } = request.pathParameters;
    const deps = handlerDeps();
    const action = request.rawPath.split('/').at(-1);
    switch (action) {
      case 'pause':
        return { status: 200, body: await pauseCohort(cohortId, deps) };
      case 'resume':
        return { status: 200, body: await resumeCohort(cohortId, deps) };
      case 'end':
        return { status: 200, body: await endCohort(cohortId, deps) };
      case 'restart':
        return { status: 200, body: await restartWorkflow(cohortId, deps) };
      default:
        return {
          status: 200,
          body: await extendCohort(cohortId, parseBody(event, extensionSchema).weeks, deps),
        };
    }
  }),
);

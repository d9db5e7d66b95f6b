import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { listApplicants } from '../../shared/use-cases/list-applicants.ts';
import { cohortIdField } from '../../shared/validation/fields.ts';
import { handlerDeps } from '../adapters.ts';
import { parseRequest, respond } from '../http.ts';
import { instrumented } from '../powertools.ts';

/** The cohort's applicants with their answers, confirmed or not (the console's cohort page). */
export const handler = instrumented(async (event: APIGatewayProxyEventV2) =>
  respond(event, async () => {
    const request = parseRequest(event, z.object({ cohortId: cohortIdField }));
    return {
      status: 200,
      body: { applicants: await listApplicants(request.pathParameters.cohortId, handlerDeps()) },
    };
  }),
);

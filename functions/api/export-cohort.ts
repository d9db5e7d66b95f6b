import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { exportCohort } from '../../shared/use-cases/personal-data.ts';
import { cohortIdField } from '../../shared/validation/fields.ts';
import { handlerDeps } from '../adapters.ts';
import { parseRequest, respond } from '../http.ts';
import { instrumented } from '../powertools.ts';

/** The cohort's records as CSV files, by name, for the organizers to keep before the purge. */
export const handler = instrumented(async (event: APIGatewayProxyEventV2) =>
  respond(event, async () => {
    const request = parseRequest(event, z.object({ cohortId: cohortIdField }));
    return {
      status: 200,
      body: { files: await exportCohort(request.pathParameters.cohortId, handlerDeps()) },
    };
  }),
);

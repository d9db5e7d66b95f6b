import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { getCohortStatus } from '../../shared/use-cases/get-cohort-status.ts';
import { cohortIdField } from '../../shared/validation/fields.ts';
import { handlerDeps } from '../adapters.ts';
import { parseRequest, respond } from '../http.ts';
import { instrumented } from '../powertools.ts';

export const handler = instrumented(async (event: APIGatewayProxyEventV2) =>
  respond(event, async () => {
    const request = parseRequest(event, z.object({ cohortId: cohortIdField }));
    return { status: 200, body: await getCohortStatus(request.pathParameters.cohortId, handlerDeps()) };
  }),
);

import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { approveRematches } from '../../shared/use-cases/rematch.ts';
import { cohortIdField } from '../../shared/validation/fields.ts';
import { handlerDeps } from '../adapters.ts';
import { parseRequest, respond } from '../http.ts';
import { instrumented } from '../powertools.ts';

/** Approves every proposed rematch: the new pairs form and are introduced. */
export const handler = instrumented(async (event: APIGatewayProxyEventV2) =>
  respond(event, async () => {
    const { pathParameters } = parseRequest(event, z.object({ cohortId: cohortIdField }));
    return { status: 200, body: { pairs: await approveRematches(pathParameters.cohortId, handlerDeps()) } };
  }),
);

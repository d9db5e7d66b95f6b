import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { listPairs } from '../../shared/use-cases/list-pairs.ts';
import { cohortIdField } from '../../shared/validation/fields.ts';
import { handlerDeps } from '../adapters.ts';
import { parseQuery, parseRequest, respond } from '../http.ts';
import { instrumented } from '../powertools.ts';

const querySchema = z.strictObject({
  atRisk: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
});

/** Every pair of the cohort (`?atRisk=true`: only those at risk), with its ladder rung, last meeting and answer. */
export const handler = instrumented(async (event: APIGatewayProxyEventV2) =>
  respond(event, async () => {
    const request = parseRequest(event, z.object({ cohortId: cohortIdField }));
    const query = parseQuery(querySchema, event.queryStringParameters ?? {}, 'The query is not valid');
    const atRisk = query.atRisk === 'true';
    return { status: 200, body: await listPairs(request.pathParameters.cohortId, { atRisk }, handlerDeps()) };
  }),
);

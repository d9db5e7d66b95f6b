import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { closePairByOrganizer } from '../../shared/use-cases/rematch.ts';
import { cohortIdField } from '../../shared/validation/fields.ts';
import { handlerDeps } from '../adapters.ts';
import { parseBody, parseRequest, respond } from '../http.ts';
import { instrumented } from '../powertools.ts';
import { pairIdOfPath } from './pair-request.ts';

const bodySchema = z.strictObject({
  reason: z
    .string()
    .trim()
    .min(1, { error: 'must not be empty: leave it out for no reason' })
    .max(500)
    .optional(),
});

/** An organizer ends one pair at no one's fault; both sides join the rematch queue. */
export const handler = instrumented(async (event: APIGatewayProxyEventV2) =>
  respond(event, async () => {
    const { pathParameters } = parseRequest(event, z.object({ cohortId: cohortIdField, pairId: z.string() }));
    const body = event.body ? parseBody(event, bodySchema) : {};
    const { cohortId } = pathParameters;
    const pairId = pairIdOfPath(pathParameters);
    return { status: 200, body: await closePairByOrganizer(cohortId, pairId, body.reason, handlerDeps()) };
  }),
);

import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { forbidPair } from '../../shared/use-cases/forbid-pair.ts';
import { cohortIdField } from '../../shared/validation/fields.ts';
import { handlerDeps } from '../adapters.ts';
import { parseBody, parseRequest, respond } from '../http.ts';
import { instrumented } from '../powertools.ts';
import { pairRequestSchema } from './pair-request.ts';

/** Forbids a pair (or lifts it with `"remove": true`); returns the review settings. */
export const handler = instrumented(async (event: APIGatewayProxyEventV2) =>
  respond(event, async () => {
    const request = parseRequest(event, z.object({ cohortId: cohortIdField }));
    const body = parseBody(event, pairRequestSchema);
    return { status: 200, body: await forbidPair(request.pathParameters.cohortId, body, handlerDeps()) };
  }),
);

import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { pinPair } from '../../shared/use-cases/pin-pair.ts';
import { cohortIdField } from '../../shared/validation/fields.ts';
import { handlerDeps } from '../adapters.ts';
import { parseBody, parseRequest, respond } from '../http.ts';
import { instrumented } from '../powertools.ts';
import { pairRequestSchema } from './pair-request.ts';

/** Pins a pair (or removes the pin with `"remove": true`); returns the review settings. */
export const handler = instrumented(async (event: APIGatewayProxyEventV2) =>
  respond(event, async () => {
    const request = parseRequest(event, z.object({ cohortId: cohortIdField }));
    const body = parseBody(event, pairRequestSchema);
    return { status: 200, body: await pinPair(request.pathParameters.cohortId, body, handlerDeps()) };
  }),
);

import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { setCapacity } from '../../shared/use-cases/set-capacity.ts';
import { cohortIdField, emailField } from '../../shared/validation/fields.ts';
import { handlerDeps } from '../adapters.ts';
import { parseBody, parseRequest, respond } from '../http.ts';
import { instrumented } from '../powertools.ts';

const bodySchema = z.strictObject({ mentor: emailField, capacity: z.number() });

/** Replaces a mentor's capacity for the next drafts; returns the review settings. */
export const handler = instrumented(async (event: APIGatewayProxyEventV2) =>
  respond(event, async () => {
    const request = parseRequest(event, z.object({ cohortId: cohortIdField }));
    const body = parseBody(event, bodySchema);
    return { status: 200, body: await setCapacity(request.pathParameters.cohortId, body, handlerDeps()) };
  }),
);

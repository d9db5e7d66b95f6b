import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { resendDeadLetters } from '../../shared/use-cases/resend-dead-letters.ts';
import { cohortIdField } from '../../shared/validation/fields.ts';
import { handlerDeps } from '../adapters.ts';
import { parseRequest, respond } from '../http.ts';
import { instrumented } from '../powertools.ts';

/** `tandem resend COHORT`: every dead letter of the cohort, sent again as it was composed. */
export const handler = instrumented(async (event: APIGatewayProxyEventV2) =>
  respond(event, async () => {
    const request = parseRequest(event, z.object({ cohortId: cohortIdField }));
    return { status: 200, body: await resendDeadLetters(request.pathParameters.cohortId, handlerDeps()) };
  }),
);

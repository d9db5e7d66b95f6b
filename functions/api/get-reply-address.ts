import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { replyAddressOf } from '../../shared/use-cases/reply-address.ts';
import { cohortIdField } from '../../shared/validation/fields.ts';
import { handlerDeps } from '../adapters.ts';
import { parseQuery, parseRequest, respond } from '../http.ts';
import { instrumented } from '../powertools.ts';

const querySchema = z.object({
  email: z.string({ error: 'is required: the participant’s email' }),
  round: z.coerce.number({ error: 'is required: the round number' }),
});

export const handler = instrumented(async (event: APIGatewayProxyEventV2) =>
  respond(event, async () => {
    const request = parseRequest(event, z.object({ cohortId: cohortIdField }));
    const query = parseQuery(querySchema, request.queryStringParameters);
    const result = await replyAddressOf(
      request.pathParameters.cohortId,
      query.email,
      query.round,
      handlerDeps(),
    );
    return { status: 200, body: result };
  }),
);

import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { requestRematch } from '../../shared/use-cases/rematch.ts';
import { cohortIdField, emailField } from '../../shared/validation/fields.ts';
import { handlerDeps } from '../adapters.ts';
import { parseBody, parseRequest, respond } from '../http.ts';
import { instrumented } from '../powertools.ts';

const bodySchema = z.strictObject({ participant: emailField });

/** An organizer puts a participant in the rematch queue: their pair ends, new partners are proposed. */
export const handler = instrumented(async (event: APIGatewayProxyEventV2) =>
  respond(event, async () => {
    const { pathParameters } = parseRequest(event, z.object({ cohortId: cohortIdField }));
    const { participant } = parseBody(event, bodySchema);
    return {
      status: 200,
      body: await requestRematch(pathParameters.cohortId, participant, 'organizer', handlerDeps()),
    };
  }),
);

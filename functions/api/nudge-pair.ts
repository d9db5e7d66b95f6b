import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { nudgePair } from '../../shared/use-cases/nudge-pair.ts';
import { cohortIdField } from '../../shared/validation/fields.ts';
import { handlerDeps } from '../adapters.ts';
import { parseRequest, respond } from '../http.ts';
import { instrumented } from '../powertools.ts';
import { pairIdOfPath } from './pair-request.ts';

/** An organizer's nudge to both sides of one pair, once per round. */
export const handler = instrumented(async (event: APIGatewayProxyEventV2) =>
  respond(event, async () => {
    const { pathParameters } = parseRequest(event, z.object({ cohortId: cohortIdField, pairId: z.string() }));
    return {
      status: 200,
      body: await nudgePair(pathParameters.cohortId, pairIdOfPath(pathParameters), handlerDeps()),
    };
  }),
);

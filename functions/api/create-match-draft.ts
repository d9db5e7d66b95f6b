import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { createMatchDraft } from '../../shared/use-cases/create-match-draft.ts';
import { cohortIdField } from '../../shared/validation/fields.ts';
import { handlerDeps } from '../adapters.ts';
import { parseRequest, respond } from '../http.ts';
import { instrumented, metrics } from '../powertools.ts';

/** Runs matching with the review settings and stores the next draft, compared with the previous one. */
export const handler = instrumented(async (event: APIGatewayProxyEventV2) =>
  respond(event, async () => {
    const request = parseRequest(event, z.object({ cohortId: cohortIdField }));
    const created = await createMatchDraft(request.pathParameters.cohortId, handlerDeps());
    metrics.addMetric('MatchDraftCreated', MetricUnit.Count, 1);
    return { status: 201, body: created };
  }),
);

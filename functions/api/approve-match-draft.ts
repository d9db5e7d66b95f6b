import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { cohortIdField, draftRefField } from '../../shared/validation/fields.ts';
import { approveCohort } from '../../shared/workflow/matching-steps.ts';
import { handlerDeps } from '../adapters.ts';
import { parseRequest, respond } from '../http.ts';
import { instrumented, metrics } from '../powertools.ts';

/** Approves a draft: the cohort's matching from then on; a workflow waiting for it carries on. */
export const handler = instrumented(async (event: APIGatewayProxyEventV2) =>
  respond(event, async () => {
    const request = parseRequest(event, z.object({ cohortId: cohortIdField, draft: draftRefField }));
    const { cohortId, draft } = request.pathParameters;
    const approved = await approveCohort(cohortId, draft, handlerDeps());
    metrics.addMetric('MatchDraftApproved', MetricUnit.Count, 1);
    return {
      status: 200,
      body: { cohortId, number: approved.number, approvedAt: approved.approvedAt, summary: approved.summary },
    };
  }),
);

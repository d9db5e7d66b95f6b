import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { submitApplication } from '../../shared/use-cases/submit-application.ts';
import { cohortIdField } from '../../shared/validation/fields.ts';
import { handlerDeps } from '../adapters.ts';
import { jsonBody, parseRequest, respond } from '../http.ts';
import { instrumented, metrics } from '../powertools.ts';

/** An application is a few hundred bytes; anything near this limit is not one. */
const maxBodyBytes = 16 * 1024;

export const handler = instrumented(async (event: APIGatewayProxyEventV2) =>
  respond(event, async () => {
    const request = parseRequest(event, z.object({ cohortId: cohortIdField }));
    const result = await submitApplication(
      request.pathParameters.cohortId,
      jsonBody(event, maxBodyBytes),
      handlerDeps(),
    );
    metrics.addMetric('ApplicationReceived', MetricUnit.Count, 1);
    // Accepted, to be confirmed by the address's owner: the same answer for every address.
    return { status: 202, body: result };
  }),
);

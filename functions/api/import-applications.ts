import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { importApplications } from '../../shared/use-cases/import-applications.ts';
import { cohortIdField } from '../../shared/validation/fields.ts';
import { handlerDeps } from '../adapters.ts';
import { bodyText, parseRequest, respond } from '../http.ts';
import { instrumented, metrics } from '../powertools.ts';

/** Below Lambda's 6 MB synchronous payload limit; about 25,000 applications. */
const maxBodyBytes = 5 * 1024 * 1024;

/** Imports a CSV export of applications (body: the CSV text; `?strict=true` for all-or-nothing). */
export const handler = instrumented(async (event: APIGatewayProxyEventV2) =>
  respond(event, async () => {
    const request = parseRequest(event, z.object({ cohortId: cohortIdField }));
    const strict = ['true', '1', 'yes'].includes(request.queryStringParameters?.strict ?? '');
    const report = await importApplications(
      request.pathParameters.cohortId,
      bodyText(event, maxBodyBytes),
      { strict },
      handlerDeps(),
    );
    metrics.addMetric('ApplicationsImported', MetricUnit.Count, report.created + report.updated);
    return { status: 200, body: report };
  }),
);

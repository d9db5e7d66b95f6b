import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { reportFiles } from '../../shared/report/report-files.ts';
import { buildCohortReport } from '../../shared/use-cases/cohort-report.ts';
import { cohortIdField } from '../../shared/validation/fields.ts';
import { handlerDeps } from '../adapters.ts';
import { parseRequest, respond } from '../http.ts';
import { instrumented } from '../powertools.ts';

/** The cohort report: its figures, its pairs, and the files `tandem report` writes, by name. */
export const handler = instrumented(async (event: APIGatewayProxyEventV2) =>
  respond(event, async () => {
    const request = parseRequest(event, z.object({ cohortId: cohortIdField }));
    const data = await buildCohortReport(request.pathParameters.cohortId, handlerDeps());
    return { status: 200, body: { ...data, files: reportFiles(data) } };
  }),
);

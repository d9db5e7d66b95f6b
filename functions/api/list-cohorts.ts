import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { listCohorts } from '../../shared/use-cases/list-cohorts.ts';
import { handlerDeps } from '../adapters.ts';
import { respond } from '../http.ts';
import { instrumented } from '../powertools.ts';

/** The cohorts the caller organizes (every cohort, for an admin): the console's first page. */
export const handler = instrumented(async (event: APIGatewayProxyEventV2) =>
  respond(event, async (caller) => {
    if (!caller) throw new Error('GET /cohorts is a signed-in route: routes.ts must say so');
    return { status: 200, body: { cohorts: await listCohorts(caller, handlerDeps()) } };
  }),
);

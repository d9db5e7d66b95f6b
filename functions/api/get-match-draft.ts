import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { getDraftWithComparison } from '../../shared/use-cases/compare-drafts.ts';
import { cohortIdField, draftRefField } from '../../shared/validation/fields.ts';
import { handlerDeps } from '../adapters.ts';
import { parseQuery, parseRequest, respond } from '../http.ts';
import { instrumented } from '../powertools.ts';

const querySchema = z.object({ compareWith: z.coerce.number().int().min(1).optional() });

/** A draft (`latest` or a number), compared with the previous draft or `?compareWith=N`. */
export const handler = instrumented(async (event: APIGatewayProxyEventV2) =>
  respond(event, async () => {
    const request = parseRequest(event, z.object({ cohortId: cohortIdField, draft: draftRefField }));
    const query = parseQuery(querySchema, request.queryStringParameters);
    const { cohortId, draft } = request.pathParameters;
    return {
      status: 200,
      body: await getDraftWithComparison(cohortId, draft, query.compareWith, handlerDeps()),
    };
  }),
);

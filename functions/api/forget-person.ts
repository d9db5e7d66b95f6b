import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { forgetPerson } from '../../shared/use-cases/personal-data.ts';
import { handlerDeps } from '../adapters.ts';
import { parseBody, respond } from '../http.ts';
import { instrumented } from '../powertools.ts';

const bodySchema = z.object({
  email: z.string({
    error: 'is required: the address of the person to forget, e.g. {"email": "ana@example.org"}',
  }),
});

/** Erases a person from every cohort on their request; their address gets no more mail. */
export const handler = instrumented(async (event: APIGatewayProxyEventV2) =>
  respond(event, async () => {
    const { email } = parseBody(event, bodySchema);
    return { status: 200, body: await forgetPerson(email, handlerDeps()) };
  }),
);

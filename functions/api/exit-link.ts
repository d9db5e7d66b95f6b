import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { describeLink, exitByLink } from '../../shared/use-cases/participant-links.ts';
import { handlerDeps } from '../adapters.ts';
import { page, parseRequest, respondWithPage } from '../http.ts';
import { instrumented } from '../powertools.ts';

/**
 * The link that confirms an "exit" Tandem received from an address it could not verify. GET
 * shows a button (link scanners must take nobody out); POST is the no-fault exit. Idempotent.
 */
export const handler = instrumented(async (event: APIGatewayProxyEventV2) =>
  respondWithPage(async () => {
    const { pathParameters, requestContext } = parseRequest(event, z.object({ token: z.string() }));
    const deps = handlerDeps();
    if (requestContext.http.method === 'POST') {
      const outcome = await exitByLink(pathParameters.token, deps);
      return page(200, 'You have left the program', [
        `You have left ${outcome.programName}. Thank you for taking part; nobody is at fault.`,
        'If this was a mistake, write to the organizers.',
      ]);
    }
    if (requestContext.http.method !== 'GET')
      return page(405, 'Not allowed', ['Open the link from your email.']);
    const link = await describeLink(pathParameters.token, deps);
    return page(
      200,
      `Leave ${link.programName}?`,
      [
        'Your pairing ends and you will get no more check-ins. Nobody is at fault, and no questions are asked.',
      ],
      { button: 'Leave the program' },
    );
  }),
);

import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { describeLink, unsubscribe } from '../../shared/use-cases/participant-links.ts';
import { handlerDeps } from '../adapters.ts';
import { page, parseRequest, respondWithPage } from '../http.ts';
import { instrumented } from '../powertools.ts';

/**
 * The unsubscribe link. POST unsubscribes (RFC 8058 one-click: mail providers POST
 * `List-Unsubscribe=One-Click` here, without a login); GET shows a button, because link
 * scanners must not unsubscribe anyone. Idempotent: unsubscribing twice is fine.
 */
export const handler = instrumented(async (event: APIGatewayProxyEventV2) =>
  respondWithPage(async () => {
    const { pathParameters, requestContext } = parseRequest(event, z.object({ token: z.string() }));
    const deps = handlerDeps();
    if (requestContext.http.method === 'POST') {
      const outcome = await unsubscribe(pathParameters.token, deps);
      return page(200, 'You are unsubscribed', [
        `You will get no more emails from ${outcome.programName}.`,
        'If this was a mistake, write to the organizers.',
      ]);
    }
    if (requestContext.http.method !== 'GET')
      return page(405, 'Not allowed', ['Open the link from your email.']);
    const link = await describeLink(pathParameters.token, deps);
    if (link.unsubscribed)
      return page(200, 'You are unsubscribed', [`You get no emails from ${link.programName}.`]);
    return page(
      200,
      `Unsubscribe from ${link.programName}?`,
      ['You will get no more emails from this program, including check-ins and your match.'],
      { button: 'Unsubscribe' },
    );
  }),
);

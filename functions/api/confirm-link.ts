import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { confirmApplication, describeLink } from '../../shared/use-cases/participant-links.ts';
import { handlerDeps } from '../adapters.ts';
import { page, parseRequest, respondWithPage } from '../http.ts';
import { instrumented } from '../powertools.ts';

/**
 * The confirmation link of the "application received" email. GET only shows a button, since
 * mail scanners open links; the POST confirms, so nobody is confirmed by a robot.
 */
export const handler = instrumented(async (event: APIGatewayProxyEventV2) =>
  respondWithPage(async () => {
    const { pathParameters, requestContext } = parseRequest(event, z.object({ token: z.string() }));
    const deps = handlerDeps();
    if (requestContext.http.method === 'POST') {
      const outcome = await confirmApplication(pathParameters.token, deps);
      return page(200, 'Application confirmed', [
        outcome.firstTime
          ? `Thank you! Your application to ${outcome.programName} is confirmed.`
          : `Your application to ${outcome.programName} was already confirmed.`,
        'We will email you when matching is done. You can close this page.',
      ]);
    }
    if (requestContext.http.method !== 'GET')
      return page(405, 'Not allowed', ['Open the link from your email.']);
    const link = await describeLink(pathParameters.token, deps);
    if (link.confirmed)
      return page(200, 'Application confirmed', [`Your application to ${link.programName} is confirmed.`]);
    return page(
      200,
      `Confirm your application to ${link.programName}`,
      ['Press the button to confirm that you applied. Until you do, we will not match you with anyone.'],
      { button: 'Confirm my application' },
    );
  }),
);

import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { confirmApplication, describeLink } from '../../shared/use-cases/participant-links.ts';
import { handlerDeps } from '../adapters.ts';
import { page, parseRequest, respondWithPage } from '../http.ts';
import { instrumented } from '../powertools.ts';

/**
 * The confirmation link of the "application received" email, and of the email about a change
 * to an application. GET only shows what would be confirmed and a button, since mail scanners
 * open links; the POST confirms, so nobody is confirmed (or changed) by a robot.
 */
export const handler = instrumented(async (event: APIGatewayProxyEventV2) =>
  respondWithPage(async () => {
    const { pathParameters, requestContext } = parseRequest(event, z.object({ token: z.string() }));
    const deps = handlerDeps();
    if (requestContext.http.method === 'POST') {
      const outcome = await confirmApplication(pathParameters.token, deps);
      if (outcome.change) return page(200, ...changeConfirmed(outcome.change, outcome.programName));
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
    const summary = describeApplication(link.application);
    if (link.change) {
      if (!link.change.pending)
        return page(200, 'Nothing to confirm', [
          'This change was made already, or replaced by a newer one: see your most recent email from the program.',
        ]);
      return page(
        200,
        `Confirm the changes to your application to ${link.programName}`,
        [
          'Press the button to make your application say this:',
          ...summary,
          'If you did not ask for this, close this page: nothing changes.',
        ],
        { button: 'Confirm these changes' },
      );
    }
    if (link.confirmed)
      return page(200, 'Application confirmed', [`Your application to ${link.programName} is confirmed.`]);
    return page(
      200,
      `Confirm your application to ${link.programName}`,
      [
        'Press the button to confirm that you applied with this application. Until you do, we will not match you with anyone.',
        ...summary,
      ],
      { button: 'Confirm my application' },
    );
  }),
);

function changeConfirmed(outcome: 'applied' | 'stale' | 'closed', programName: string): [string, string[]] {
  switch (outcome) {
    case 'applied':
      return [
        'Changes confirmed',
        [`Thank you! Your application to ${programName} now says what you asked for.`],
      ];
    case 'stale':
      return ['Nothing to confirm', ['This change was made already, or replaced by a newer one.']];
    case 'closed':
      return [
        'Applications are closed',
        [
          `Applications to ${programName} have closed, so the application can no longer change. Write to the organizers.`,
        ],
      ];
  }
}

function describeApplication(application: Record<string, unknown>): string[] {
  const list = (value: unknown) => (Array.isArray(value) && value.length > 0 ? value.join(', ') : '—');
  return [
    `Name: ${String(application.name ?? '')} · role: ${String(application.role ?? '')} · years of experience: ${String(application.years_experience ?? '')}`,
    `Topics: ${list(application.topics)} · languages: ${list(application.languages)} · time zone: ${String(application.timezone ?? '')}`,
  ];
}

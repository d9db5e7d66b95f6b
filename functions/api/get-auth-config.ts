import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { TandemError } from '../../shared/errors.ts';
import { respond } from '../http.ts';
import { instrumented } from '../powertools.ts';

const environmentSchema = z.object({
  SIGN_IN_ISSUER: z.url(),
  SIGN_IN_CLI_CLIENT_ID: z.string().min(1),
});

/**
 * Where organizers sign in to this API: the OpenID Connect issuer and the app client of the
 * CLI (`tandem login` discovers the rest from the issuer). Cognito on AWS, the local provider
 * on the local stack.
 */
export const handler = instrumented(async (event: APIGatewayProxyEventV2) =>
  respond(event, async () => {
    const env = environmentSchema.safeParse(process.env);
    if (!env.success) {
      throw new TandemError('setup', 'Sign-in is not configured on this API (SIGN_IN_ISSUER is not set).');
    }
    return {
      status: 200,
      body: { issuer: env.data.SIGN_IN_ISSUER, clients: { cli: env.data.SIGN_IN_CLI_CLIENT_ID } },
    };
  }),
);

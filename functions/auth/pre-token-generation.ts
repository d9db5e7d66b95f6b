import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';

/**
 * Cognito's pre-token-generation trigger (event version 2): puts the person's verified email
 * in their access token, beside their `cognito:groups`. Tandem decides access by email (a
 * program lists its organizers by email), and an API takes access tokens, which Cognito
 * issues without an email. An unverified address is left out: it names nobody.
 */
export const handler = async (event: PreTokenGenerationV2TriggerEvent) => {
  const { email, email_verified: verified } = event.request.userAttributes;
  if (email && verified === 'true') {
    event.response = {
      claimsAndScopeOverrideDetails: {
        accessTokenGeneration: { claimsToAddOrOverride: { email: email.toLowerCase() } },
      },
    };
  }
  return event;
};

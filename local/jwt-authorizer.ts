import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';
import { z } from 'zod';

/** What an HTTP API's JWT authorizer is configured with. */
export interface JwtAuthorizerConfig {
  issuer: string;
  /** Accepted `aud` values (or `client_id`, for tokens without `aud`, such as Cognito's). */
  audience: readonly string[];
}

/** Verified claims as API Gateway passes them to the function, or why the token was refused. */
export type Verdict =
  | { claims: Record<string, string>; scopes: string[] | null; refused?: undefined }
  | { refused: string };

const discoverySchema = z.object({ jwks_uri: z.url() });

/**
 * Checks a request's bearer token the way API Gateway's JWT authorizer does: the issuer's keys
 * from its OpenID discovery document (fetched once, then cached by jose's remote key set),
 * the signature, `iss`, `exp`, `nbf` and `iat`, then `aud` — or `client_id` when the token has
 * no `aud` — among the configured audience. The claims come out as API Gateway passes them on:
 * every value a string, lists written `[a b]`.
 */
export async function createJwtAuthorizer(
  config: JwtAuthorizerConfig,
): Promise<(authorization: string | undefined) => Promise<Verdict>> {
  const response = await fetch(`${config.issuer}/.well-known/openid-configuration`);
  const discovery = discoverySchema.parse(await response.json());
  const keys = createRemoteJWKSet(new URL(discovery.jwks_uri));
  return async (authorization) => {
    const token = authorization?.replace(/^Bearer\s+/i, '').trim();
    if (!token) return { refused: 'No token: this route needs a signed-in organizer.' };
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, { issuer: config.issuer, algorithms: ['RS256'] }));
    } catch (error) {
      return { refused: refusal(error) };
    }
    if (payload.iat !== undefined && payload.iat > Date.now() / 1000) {
      return { refused: 'The token says it was issued in the future.' };
    }
    if (!audienceMatches(payload, config.audience)) {
      return { refused: 'The token is not meant for this API (its audience is another).' };
    }
    const scope = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : null;
    return { claims: asApiGatewayClaims(payload), scopes: scope };
  };
}

function refusal(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The token has expired: sign in again.';
  if (error instanceof errors.JWTClaimValidationFailed) {
    return error.claim === 'iss'
      ? 'The token comes from another issuer than this API’s sign-in service.'
      : `The token is not valid yet or any more (${error.claim}).`;
  }
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWSSignatureVerificationFailed) {
    return 'The token’s signature does not verify with this API’s sign-in service keys.';
  }
  return 'The token is not a valid signed JWT.';
}

/** API Gateway checks `aud` when the token has one, `client_id` otherwise. */
function audienceMatches(payload: JWTPayload, audience: readonly string[]): boolean {
  if (payload.aud !== undefined) {
    const values = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    return values.some((value) => audience.includes(value));
  }
  return typeof payload.client_id === 'string' && audience.includes(payload.client_id);
}

function asApiGatewayClaims(payload: JWTPayload): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload).map(([name, value]) => [
      name,
      Array.isArray(value)
        ? `[${value.join(' ')}]`
        : typeof value === 'object' && value !== null
          ? JSON.stringify(value)
          : String(value),
    ]),
  );
}

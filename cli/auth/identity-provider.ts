import * as oidc from 'openid-client';
import { TandemError } from '../../shared/errors.ts';
import { personScopes } from '../../shared/sign-in.ts';

/** What a sign-in gives: a bearer token for the API, and how to get the next one. */
export interface Tokens {
  accessToken: string;
  /** A person's sign-in only: trades for new tokens when the access token expires. */
  refreshToken?: string;
  /** When the access token expires, epoch milliseconds. */
  expiresAt: number;
}

export type IdentityProvider = oidc.Configuration;

/** The local stack's provider speaks plain HTTP on the loopback interface; anything else needs HTTPS. */
const isLoopback = (url: string) => /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/.test(url);

/**
 * The OpenID provider of an API (Cognito, or the local stack's), found from its issuer by
 * OpenID Connect discovery, for this app client.
 */
export async function discoverProvider(
  issuer: string,
  clientId: string,
  clientSecret?: string,
): Promise<IdentityProvider> {
  try {
    return await oidc.discovery(
      new URL(issuer),
      clientId,
      undefined,
      clientSecret === undefined ? oidc.None() : oidc.ClientSecretBasic(clientSecret),
      isLoopback(issuer) ? { execute: [oidc.allowInsecureRequests] } : undefined,
    );
  } catch (error) {
    throw new TandemError(
      'setup',
      `Cannot reach the sign-in service at ${issuer} (${(error as Error).message}). Check your network, or that \`npm run dev\` is still running.`,
    );
  }
}

/**
 * The authorization code flow with PKCE (RFC 7636): the URL to open in a browser, and how to
 * turn the redirect it ends on into tokens.
 */
export async function beginCodeFlow(provider: IdentityProvider, redirectUri: string) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(provider, {
    redirect_uri: redirectUri,
    scope: personScopes.join(' '),
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  });
  return {
    url,
    complete: (redirect: URL) =>
      grant(() =>
        oidc.authorizationCodeGrant(provider, redirect, { pkceCodeVerifier: verifier, expectedState: state }),
      ),
  };
}

/** A client's own token (client credentials); without `scope`, every scope the client is allowed. */
export function clientCredentialsTokens(provider: IdentityProvider, scope?: string): Promise<Tokens> {
  return grant(() => oidc.clientCredentialsGrant(provider, scope ? { scope } : {}));
}

/** New tokens for a person's refresh token; the refresh token is kept when none replaces it (Cognito). */
export async function refreshTokens(provider: IdentityProvider, refreshToken: string): Promise<Tokens> {
  const tokens = await grant(() => oidc.refreshTokenGrant(provider, refreshToken));
  return { ...tokens, refreshToken: tokens.refreshToken ?? refreshToken };
}

/** Forgets a refresh token at the provider, where it supports revocation; quietly otherwise. */
export async function revoke(provider: IdentityProvider, token: string): Promise<void> {
  if (!provider.serverMetadata().revocation_endpoint) return;
  await oidc.tokenRevocation(provider, token, { token_type_hint: 'refresh_token' }).catch(() => {});
}

async function grant(
  request: () => Promise<oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers>,
): Promise<Tokens> {
  let response: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;
  try {
    response = await request();
  } catch (error) {
    const detail =
      error instanceof oidc.ResponseBodyError
        ? (error.error_description ?? error.error)
        : (error as Error).message;
    throw new TandemError('unauthorized', `The sign-in service refused: ${detail}.`);
  }
  return {
    accessToken: response.access_token,
    ...(response.refresh_token ? { refreshToken: response.refresh_token } : {}),
    expiresAt: Date.now() + (response.expiresIn() ?? 3600) * 1000,
  };
}

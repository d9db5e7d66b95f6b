import { importJWK, type JWK, type JWTPayload, SignJWT } from 'jose';
import type { ClientCredentials } from '../../cli/auth/authenticator.ts';
import {
  beginCodeFlow,
  clientCredentialsTokens,
  discoverProvider,
} from '../../cli/auth/identity-provider.ts';
import type { DevAccount } from '../../local/oidc/local-oidc-provider.ts';
import { cliRedirectUris } from '../../shared/sign-in.ts';

/**
 * Signs in on the local provider's login page over HTTP, as a browser would: follows the
 * redirects with the provider's cookies, fills in the form, and returns the redirect the
 * sign-in ends on (with the code), without fetching it.
 */
export async function signInOnLoginPage(
  authorizationUrl: URL,
  redirectUri: string,
  account: Pick<DevAccount, 'email' | 'password'>,
): Promise<URL> {
  const cookies = new Map<string, string>();
  let url = authorizationUrl;
  let form: URLSearchParams | undefined;
  for (let step = 0; step < 12; step++) {
    const response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { body: form.toString() } : {}),
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1));
    }
    const location = response.headers.get('location');
    form = undefined;
    if (location) {
      url = new URL(location, url);
      if (url.href.startsWith(redirectUri)) return url;
      continue;
    }
    const html = await response.text();
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (response.status !== 200 || !action) {
      const alert = /role="alert"[^>]*>([^<]*)</.exec(html)?.[1];
      throw new Error(
        `The sign-in stopped at ${url.href} (${response.status}): ${alert ?? html.slice(0, 400)}`,
      );
    }
    url = new URL(action.replaceAll('&amp;', '&'), url);
    form = new URLSearchParams({ email: account.email, password: account.password });
  }
  throw new Error('The sign-in went round in circles');
}

/** A person's access token: the CLI's own code flow with PKCE, signed in on the login page. */
export async function personToken(
  signIn: { issuer: string; cliClientId: string },
  account: Pick<DevAccount, 'email' | 'password'>,
): Promise<string> {
  const provider = await discoverProvider(signIn.issuer, signIn.cliClientId);
  const redirectUri = cliRedirectUris[0] ?? '';
  const flow = await beginCodeFlow(provider, redirectUri);
  return (await flow.complete(await signInOnLoginPage(flow.url, redirectUri, account))).accessToken;
}

/** A script's access token (client credentials). */
export async function clientToken(issuer: string, client: ClientCredentials): Promise<string> {
  const provider = await discoverProvider(issuer, client.clientId, client.clientSecret);
  return (await clientCredentialsTokens(provider, client.scope)).accessToken;
}

/** A token signed with `key`: forged, expired or otherwise made to measure. */
export async function mintToken(
  key: JWK,
  claims: JWTPayload & { iss: string; exp: number },
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', ...(key.kid ? { kid: key.kid } : {}) })
    .setIssuedAt(claims.iat ?? Math.floor(Date.now() / 1000) - 7200)
    .sign(await importJWK(key, 'RS256'));
}

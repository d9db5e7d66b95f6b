import { z } from 'zod';
import { TandemError, unauthorized } from '../../shared/errors.ts';
import {
  clientCredentialsTokens,
  discoverProvider,
  type IdentityProvider,
  refreshTokens,
  type Tokens,
} from './identity-provider.ts';
import { readSignIn, saveSignIn } from './sign-in-store.ts';

/** A script's app client: client credentials instead of a person's sign-in. */
export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  /** Narrower than the client's allowed scope (space-separated); all of it when absent. */
  scope?: string;
}

/** How requests to an API carry a token. */
export interface Authenticator {
  /** The bearer token for the next request; undefined when nobody is signed in. */
  token(): Promise<string | undefined>;
  /** What to tell someone whose request was refused for want of a valid token. */
  readonly hint: string;
}

const authConfigSchema = z.object({ issuer: z.string(), clients: z.object({ cli: z.string() }) });
export type AuthConfig = z.output<typeof authConfigSchema>;

/** Refresh or renew a minute before the access token expires, not after. */
const earlyMs = 60_000;

/**
 * The token of a request to `apiUrl`: a script's client credentials (given, or
 * TANDEM_CLIENT_ID and TANDEM_CLIENT_SECRET), else the person's `tandem login` for that API,
 * refreshed when it expires; nothing for `'none'` (applicants, participants).
 */
export function authenticatorFor(apiUrl: string, credentials?: ClientCredentials | 'none'): Authenticator {
  if (credentials === 'none') return { token: async () => undefined, hint: signInHint };
  const client = credentials ?? credentialsFromEnvironment();
  return client ? clientAuthenticator(apiUrl, client) : signInAuthenticator(apiUrl);
}

const signInHint =
  'Sign in with `tandem login` (scripts: set TANDEM_CLIENT_ID and TANDEM_CLIENT_SECRET to an app client’s credentials).';

function credentialsFromEnvironment(): ClientCredentials | undefined {
  const {
    TANDEM_CLIENT_ID: clientId,
    TANDEM_CLIENT_SECRET: clientSecret,
    TANDEM_CLIENT_SCOPE: scope,
  } = process.env;
  if (!clientId && !clientSecret) return undefined;
  if (!clientId || !clientSecret) {
    throw new TandemError(
      'invalid_input',
      `Set both TANDEM_CLIENT_ID and TANDEM_CLIENT_SECRET (only ${clientId ? 'the id' : 'the secret'} is set).`,
    );
  }
  return { clientId, clientSecret, ...(scope ? { scope } : {}) };
}

function clientAuthenticator(apiUrl: string, client: ClientCredentials): Authenticator {
  let provider: Promise<IdentityProvider> | undefined;
  let tokens: Tokens | undefined;
  return {
    hint: `The API refused the token of client ${client.clientId}: check TANDEM_CLIENT_ID and TANDEM_CLIENT_SECRET.`,
    async token() {
      if (!tokens || tokens.expiresAt - earlyMs <= Date.now()) {
        provider ??= fetchAuthConfig(apiUrl).then((config) =>
          discoverProvider(config.issuer, client.clientId, client.clientSecret),
        );
        tokens = await clientCredentialsTokens(await provider, client.scope);
      }
      return tokens.accessToken;
    },
  };
}

function signInAuthenticator(apiUrl: string): Authenticator {
  return {
    hint: signInHint,
    async token() {
      const signIn = await readSignIn(apiUrl);
      if (!signIn) return undefined;
      if (signIn.expiresAt - earlyMs > Date.now()) return signIn.accessToken;
      if (!signIn.refreshToken) throw unauthorized(`Your sign-in to ${apiUrl} has expired. ${signInAgain}`);
      const provider = await discoverProvider(signIn.issuer, signIn.clientId);
      const fresh = await refreshTokens(provider, signIn.refreshToken).catch(() => {
        throw unauthorized(`Your sign-in to ${apiUrl} has expired. ${signInAgain}`);
      });
      await saveSignIn(apiUrl, { ...signIn, ...fresh });
      return fresh.accessToken;
    },
  };
}

export const signInAgain = 'Sign in again with `tandem login`.';

/** Where the API's organizers sign in (`GET /auth/config`). */
export async function fetchAuthConfig(apiUrl: string): Promise<AuthConfig> {
  let response: Response;
  try {
    response = await fetch(`${apiUrl}/auth/config`, { headers: { accept: 'application/json' } });
  } catch {
    throw new TandemError(
      'setup',
      `Cannot reach the Tandem API at ${apiUrl}. Check the URL and your network.`,
    );
  }
  const parsed = authConfigSchema.safeParse(await response.json().catch(() => undefined));
  if (!response.ok || !parsed.success) {
    throw new TandemError(
      'setup',
      `${apiUrl} does not say where to sign in (GET /auth/config answered ${response.status}). Is it a Tandem API?`,
    );
  }
  return parsed.data;
}

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider, { type ClientMetadata, type Configuration, errors, type Interaction } from 'oidc-provider';
import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js';
import type { ClientCredentials } from '../../cli/auth/authenticator.ts';
import { personScopes } from '../../shared/sign-in.ts';
import { adminScope } from '../../shared/use-cases/organizer-access.ts';
import { onRealTime } from '../virtual-clock.ts';
import devAccounts from './dev-accounts.json' with { type: 'json' };
import devClients from './dev-clients.json' with { type: 'json' };
import { errorPage, loginPage, logoutPage } from './login-page.ts';

/** A person who can sign in to the local stack (printed by `npm run dev`). */
export interface DevAccount {
  email: string;
  name: string;
  password: string;
  groups: string[];
}

/**
 * An app client of the local provider. `native`: a public client on a loopback redirect
 * (`tandem login`); `browser`: the web console, a public client with PKCE whose redirect is
 * the console's own origin; `script`: a confidential client with client credentials, its
 * scope naming what it may do.
 */
export type DevClient =
  | { clientId: string; kind: 'native' | 'browser'; description: string }
  | { clientId: string; kind: 'script'; secret: string; scope: string[]; description: string };

export const accounts: readonly DevAccount[] = devAccounts;
export const clients = devClients as readonly DevClient[];

/** The dev script client with the admin scope: the simulation's organizer, scripts and tests. */
export function devAdminClient(): ClientCredentials {
  for (const client of clients) {
    if (client.kind === 'script' && client.scope.includes(adminScope)) {
      return { clientId: client.clientId, clientSecret: client.secret };
    }
  }
  throw new Error('local/oidc/dev-clients.json has no script client with the admin scope');
}

/** The audience of access tokens for Tandem's API (a resource indicator, RFC 8707). */
export const apiResource = 'urn:tandem:api';
/** Cognito's lifetimes: an hour for access tokens, 30 days for refresh tokens. */
const accessTokenSeconds = 3600;
const refreshTokenSeconds = 30 * 24 * 3600;
/** oidc-provider's own default: seconds of clock difference tolerated. */
const clockTolerance = 15;

export interface LocalOidcOptions {
  port?: number;
  /** The private key that signs tokens (RS256 JWK); a new one when absent. Tests mint with it. */
  signingKey?: JWK;
  /** The web console's origin: its app client signs in back to it (no console client without it). */
  consoleOrigin?: string;
}

export interface LocalOidc {
  issuer: string;
  /** What the API accepts in `aud`, as API Gateway's JWT authorizer is configured. */
  audience: string[];
  /** The client `tandem login` uses. */
  cliClientId: string;
  /** The web console's client, when the provider knows the console's origin. */
  consoleClientId?: string;
  accounts: readonly DevAccount[];
  clients: readonly DevClient[];
  stop(): Promise<void>;
}

/**
 * A real OpenID Connect provider on localhost (`oidc-provider`), standing in for Cognito: dev
 * accounts sign in with a password on its login page (authorization code with PKCE), scripts
 * with client credentials. Access tokens are JWTs like Cognito's, with the person's `email`
 * and their `cognito:groups`, so the API reads the caller the same way on AWS and locally.
 */
export async function startLocalOidc(options: LocalOidcOptions = {}): Promise<LocalOidc> {
  let handle: (request: IncomingMessage, response: ServerResponse) => void = (_, response) => {
    response.writeHead(503).end();
  };
  // Tokens live in people's time, even when a virtual clock drives the cohorts (`tandem dev`).
  const server = createServer((request, response) => onRealTime(() => handle(request, response)));
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  const issuer = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const signingKey = options.signingKey ?? (await newSigningKey());
  const provider = new Provider(issuer, configuration(signingKey, options.consoleOrigin));
  const callback = provider.callback();
  handle = (request, response) => {
    const path = new URL(request.url ?? '/', issuer).pathname;
    if (!path.startsWith('/interaction/')) return callback(request, response);
    interact(provider, request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        response.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
        response.end(errorPage(error instanceof Error ? error.message : String(error)));
      }
    });
  };

  const cli = clients.find((client) => client.kind === 'native');
  if (!cli) throw new Error('local/oidc/dev-clients.json has no native client for `tandem login`');
  const browser = options.consoleOrigin ? clients.find((client) => client.kind === 'browser') : undefined;
  return {
    issuer,
    audience: [apiResource],
    cliClientId: cli.clientId,
    ...(browser ? { consoleClientId: browser.clientId } : {}),
    accounts,
    clients,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A new RS256 key pair, as a private JWK with a key id. */
export async function newSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' };
}

function configuration(signingKey: JWK, consoleOrigin: string | undefined): Configuration {
  const accountIdOf = (account: DevAccount) => `dev:${account.email}`;
  const accountById = new Map(accounts.map((account) => [accountIdOf(account), account]));
  const scriptScope = (clientId: string) => {
    const client = clients.find((c) => c.clientId === clientId);
    return client?.kind === 'script' ? client.scope.join(' ') : '';
  };
  return {
    adapter: createMemoryAdapter(clockTolerance),
    clockTolerance,
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    clients: clients.flatMap((client) => clientMetadata(client, consoleOrigin)),
    scopes: personScopes,
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    async findAccount(_ctx, id) {
      const account = accountById.get(id);
      if (!account) return undefined;
      return {
        accountId: id,
        claims: () => ({ sub: id, email: account.email, email_verified: true, name: account.name }),
      };
    },
    // Like Cognito's access tokens (with Tandem's pre-token-generation trigger): who the person
    // is and their groups.
    async extraTokenClaims(_ctx, token) {
      const account = 'accountId' in token && token.accountId ? accountById.get(token.accountId) : undefined;
      if (!account) return undefined;
      // Cognito leaves the groups claim out for someone in no group.
      return {
        token_use: 'access',
        email: account.email,
        ...(account.groups.length > 0 ? { 'cognito:groups': account.groups } : {}),
      };
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      // Signing out of the console (RP-initiated logout): a page of Tandem's own to confirm it.
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.type = 'html';
          ctx.body = logoutPage(form);
        },
      },
      resourceIndicators: {
        enabled: true,
        // Every token is for Tandem's API unless a client asks otherwise.
        defaultResource: () => apiResource,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource, client) => {
          if (resource !== apiResource) throw new errors.InvalidTarget();
          return {
            audience: apiResource,
            scope: scriptScope(client.clientId),
            accessTokenTTL: accessTokenSeconds,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    formats: {
      customizers: {
        // Like Cognito: a client-credentials request without `scope` gets every scope the
        // client is allowed.
        async jwt(_ctx, token, jwt) {
          if (token.kind === 'ClientCredentials' && !jwt.payload.scope && token.clientId) {
            jwt.payload.scope = scriptScope(token.clientId) || undefined;
          }
        },
      },
    },
    pkce: { required: () => true },
    // Cognito always issues a refresh token with the code flow, and keeps it past the session.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    expiresWithSession: async () => false,
    ttl: {
      AccessToken: accessTokenSeconds,
      ClientCredentials: accessTokenSeconds,
      RefreshToken: refreshTokenSeconds,
      IdToken: accessTokenSeconds,
      Interaction: 3600,
      Session: refreshTokenSeconds,
      Grant: refreshTokenSeconds,
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // A browser app (a public client) may call the token endpoint from the origin it signs in to.
    clientBasedCORS: (_ctx, origin, client) =>
      client.clientAuthMethod === 'none' &&
      (client.redirectUris ?? []).some((uri) => URL.parse(uri)?.origin === origin),
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = errorPage(out.error_description ?? out.error ?? 'Something went wrong');
    },
  };
}

function clientMetadata(client: DevClient, consoleOrigin: string | undefined): ClientMetadata[] {
  // A public client signs in with the code flow and PKCE, and keeps going with refresh tokens.
  const publicClient: ClientMetadata = {
    client_id: client.clientId,
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  };
  switch (client.kind) {
    case 'browser':
      if (!consoleOrigin) return [];
      return [
        {
          ...publicClient,
          application_type: 'web',
          redirect_uris: [`${consoleOrigin}/`],
          post_logout_redirect_uris: [`${consoleOrigin}/`],
        },
      ];
    case 'native':
      // Any port on the loopback interface (RFC 8252 §7.3).
      return [{ ...publicClient, application_type: 'native', redirect_uris: ['http://127.0.0.1/callback'] }];
    case 'script':
      return [
        {
          client_id: client.clientId,
          client_secret: client.secret,
          grant_types: ['client_credentials'],
          response_types: [],
          redirect_uris: [],
        },
      ];
  }
}

/**
 * The provider's interactions: the login page for someone not signed in yet; consent is given
 * at once (every client here is Tandem's own, as on Cognito's managed login).
 */
async function interact(provider: Provider, request: IncomingMessage, response: ServerResponse) {
  const details = await provider.interactionDetails(request, response);
  if (details.prompt.name === 'consent') {
    const grantId = await grantRequested(provider, details);
    await provider.interactionFinished(request, response, { consent: { grantId } });
    return;
  }
  const action = `/interaction/${details.uid}`;
  if (request.method !== 'POST') {
    response.writeHead(200, pageHeaders).end(loginPage({ action }));
    return;
  }
  const form = new URLSearchParams(await readBody(request));
  const email = (form.get('email') ?? '').trim().toLowerCase();
  const account = accounts.find((a) => a.email === email && a.password === form.get('password'));
  if (!account) {
    response
      .writeHead(401, pageHeaders)
      .end(loginPage({ action, email, error: 'That email and password do not match a dev account.' }));
    return;
  }
  await provider.interactionFinished(
    request,
    response,
    { login: { accountId: `dev:${account.email}` } },
    { mergeWithLastSubmission: false },
  );
}

const pageHeaders = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' };

/** Grants what the client asked for: the missing OpenID scopes and claims, and API scopes. */
async function grantRequested(provider: Provider, details: Interaction): Promise<string> {
  const { accountId } = details.session ?? {};
  const clientId = String(details.params.client_id);
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: accountId ?? '', clientId });
  if (!grant) throw new Error('The sign-in expired: start again.');
  const missing = details.prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  return grant.save();
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > 16 * 1024) throw new Error('The form is too large.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

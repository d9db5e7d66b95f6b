import type { Command } from 'commander';
import { decodeJwt } from 'jose';
import { TandemError } from '../../shared/errors.ts';
import { cliRedirectUris } from '../../shared/sign-in.ts';
import { callerFromClaims, listClaim } from '../../shared/use-cases/organizer-access.ts';
import { resolveApiUrl } from '../api-client.ts';
import { authenticatorFor, fetchAuthConfig, signInAgain } from '../auth/authenticator.ts';
import { beginCodeFlow, discoverProvider, revoke } from '../auth/identity-provider.ts';
import { listenForRedirect } from '../auth/loopback-redirect.ts';
import { forgetSignIn, saveSignIn, signInFile } from '../auth/sign-in-store.ts';
import { action, printJson } from '../run.ts';

/** How long `tandem login` waits for the browser to come back. */
const signInWaitMs = 5 * 60_000;

const apiUrlOption = [
  '--api-url <url>',
  'the Tandem API (default: the local stack of `npm run dev`, or $TANDEM_API_URL)',
] as const;

export function registerSignIn(cli: Command): void {
  cli
    .command('login')
    .description(
      `sign in to a Tandem API in your browser (authorization code with PKCE, like \`gh auth login\`); the tokens are kept for this API in ${signInFile()}`,
    )
    .option(...apiUrlOption)
    .option('--no-browser', 'do not open a browser: print the sign-in URL to open elsewhere')
    .action(
      action(async (options: { apiUrl?: string; browser: boolean }) => {
        const apiUrl = await resolveApiUrl(options);
        const config = await fetchAuthConfig(apiUrl);
        const provider = await discoverProvider(config.issuer, config.clients.cli);
        const loopback = await listenForRedirect(cliRedirectUris);
        try {
          const flow = await beginCodeFlow(provider, loopback.redirectUri);
          console.log(`Sign in to ${apiUrl} in your browser. If none opens, open this URL:`);
          console.log(`  ${flow.url.href}`);
          if (options.browser) await openBrowser(flow.url.href);
          const tokens = await flow.complete(await waitFor(loopback.received));
          await saveSignIn(apiUrl, { issuer: config.issuer, clientId: config.clients.cli, ...tokens });
          const caller = callerFromClaims(decodeJwt(tokens.accessToken));
          console.log(`✓ Signed in to ${apiUrl} as ${caller?.email ?? caller?.subject ?? 'someone'}`);
        } finally {
          await loopback.close();
        }
      }),
    );

  cli
    .command('logout')
    .description('forget the tokens of a Tandem API (and revoke its refresh token)')
    .option(...apiUrlOption)
    .action(
      action(async (options: { apiUrl?: string }) => {
        const apiUrl = await resolveApiUrl(options);
        const forgotten = await forgetSignIn(apiUrl);
        if (!forgotten) {
          console.log(`· Not signed in to ${apiUrl}`);
          return;
        }
        if (forgotten.refreshToken) {
          // Best effort: the tokens are forgotten here whether or not the provider is reachable.
          const refreshToken = forgotten.refreshToken;
          await discoverProvider(forgotten.issuer, forgotten.clientId)
            .then((provider) => revoke(provider, refreshToken))
            .catch(() => {});
        }
        console.log(`✓ Signed out of ${apiUrl}`);
      }),
    );

  cli
    .command('whoami')
    .description(
      'who the API sees: email and groups (or a client and its scope), the cohorts in reach, when the token expires',
    )
    .option(...apiUrlOption)
    .option('--json', 'print as JSON')
    .action(
      action(async (options: { apiUrl?: string; json?: boolean }) => {
        const apiUrl = await resolveApiUrl(options);
        const token = await authenticatorFor(apiUrl).token();
        if (!token) {
          throw new TandemError('unauthorized', `Not signed in to ${apiUrl}. Sign in with \`tandem login\`.`);
        }
        const claims = decodeJwt(token);
        const caller = callerFromClaims(claims);
        if (!caller)
          throw new TandemError('unauthorized', `The stored token is not an access token. ${signInAgain}`);
        const identity = {
          apiUrl,
          issuer: claims.iss,
          ...(caller.email
            ? { email: caller.email }
            : { client: String(claims.client_id ?? caller.subject) }),
          groups: listClaim(claims['cognito:groups']),
          admin: caller.admin,
          scope: listClaim(claims.scope),
          /** `all` (admins), `organizer` (where a program lists the email), or the scope's cohorts. */
          cohorts: caller.admin ? 'all' : caller.email ? 'organizer' : caller.cohorts,
          expiresAt: new Date((claims.exp ?? 0) * 1000).toISOString(),
        };
        if (options.json) return printJson(identity);
        console.log(`${caller.email ?? `client ${String(claims.client_id ?? caller.subject)}`} on ${apiUrl}`);
        if (caller.email) console.log(`  groups:   ${identity.groups.join(', ') || '(none)'}`);
        else console.log(`  scope:    ${identity.scope.join(' ') || '(none)'}`);
        console.log(
          `  cohorts:  ${
            caller.admin
              ? 'every cohort (admin); launches cohorts'
              : caller.email
                ? `those whose program lists ${caller.email} among its organizers`
                : caller.cohorts.join(', ') || '(none)'
          }`,
        );
        console.log(`  token:    expires ${identity.expiresAt.slice(0, 16).replace('T', ' ')} UTC`);
        console.log(`  issuer:   ${identity.issuer}`);
      }),
    );
}

async function waitFor(redirect: Promise<URL>): Promise<URL> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new TandemError(
            'setup',
            'No sign-in came back from the browser in 5 minutes. Run `tandem login` again.',
          ),
        ),
      signInWaitMs,
    );
  });
  try {
    return await Promise.race([redirect, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Opens the system browser where there is one; the URL is printed either way. */
async function openBrowser(url: string): Promise<void> {
  const headless = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
  if (headless) return;
  try {
    const { default: open } = await import('open');
    const child = await open(url);
    child.once('error', () => {});
  } catch {
    // The printed URL is the way in.
  }
}

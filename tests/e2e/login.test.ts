import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type LocalStack, startLocalStack } from '../../local/local-stack.ts';
import { clients } from '../../local/oidc/local-oidc-provider.ts';
import { parseProgram } from '../../shared/program/load-program.ts';
import { shiftProgram } from '../../shared/program/shift-program.ts';
import { projectRoot, runCli, stackTraceLine } from '../support/cli.ts';
import { signInOnLoginPage } from '../support/sign-in.ts';
import { tempDir } from '../support/temp-dirs.ts';

/**
 * `tandem login` end to end against the local stack's OpenID provider: the CLI prints the
 * sign-in URL (no browser here), the test signs in on the provider's login page over HTTP as
 * a browser would, the browser's last redirect reaches the CLI's loopback listener; then the
 * cached tokens sign requests in, are refreshed when they expire, and are forgotten on logout.
 */
describe('tandem login, whoami, logout', () => {
  let stack: LocalStack;
  const config = tempDir('tandem-config-');
  const dir = tempDir('tandem-login-');
  const environment = { ...process.env };
  const env = { XDG_CONFIG_HOME: config, TANDEM_CLIENT_ID: '', TANDEM_CLIENT_SECRET: '' };
  const credentialsFile = join(config, 'tandem', 'credentials.json');
  let apiUrl: string;
  const cli = (args: string[], extra: Record<string, string> = {}) =>
    runCli([...args, '--api-url', apiUrl], { cwd: dir, env: { ...env, ...extra } });

  beforeAll(async () => {
    stack = await startLocalStack();
    apiUrl = stack.apiUrl;
    const example = parseProgram(readFileSync(join(projectRoot, 'examples', 'program.yaml'), 'utf8'));
    const today = DateTime.now().setZone(example.timezone).toISODate() ?? '';
    writeFileSync(join(dir, 'program.yaml'), stringify(shiftProgram(example, today)));
  });
  afterAll(async () => {
    await stack?.stop();
    process.env = environment;
  });

  const account = (email: string) => {
    const found = stack.signIn.accounts.find((a) => a.email === email);
    if (!found) throw new Error(`no dev account ${email}`);
    return found;
  };

  it('signs in through the browser’s code flow with PKCE, on a loopback redirect', async () => {
    const login = spawn(
      process.execPath,
      [join(projectRoot, 'bin', 'tandem.mjs'), 'login', '--no-browser', '--api-url', apiUrl],
      {
        cwd: dir,
        env: { ...process.env, ...env },
      },
    );
    let stdout = '';
    let stderr = '';
    login.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => login.on('close', resolve));
    const url = await new Promise<URL>((resolve, reject) => {
      login.stdout.on('data', (chunk) => {
        stdout += chunk;
        const printed = /^ {2}(http\S+)$/m.exec(stdout)?.[1];
        if (printed) resolve(new URL(printed));
      });
      login.on('close', () => reject(new Error(`tandem login exited early:\n${stdout}${stderr}`)));
    });
    expect(stdout).toContain(`Sign in to ${apiUrl} in your browser. If none opens, open this URL:`);
    expect(url.origin).toBe(stack.signIn.issuer);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    const redirectUri = url.searchParams.get('redirect_uri') ?? '';
    expect(redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);

    // A wrong password is refused on the login page, and nothing reaches the CLI.
    await expect(
      signInOnLoginPage(url, redirectUri, { email: 'admin@example.org', password: 'not-the-password' }),
    ).rejects.toThrow(/\(401\)[\s\S]*do not match a dev account/);

    const redirect = await signInOnLoginPage(url, redirectUri, account('admin@example.org'));
    const landing = await fetch(redirect);
    expect(landing.status).toBe(200);
    expect(await landing.text()).toContain('Signed in to Tandem');
    expect(await exited).toBe(0);
    expect(stdout).toContain(`✓ Signed in to ${apiUrl} as admin@example.org`);
    expect(stderr).toBe('');

    // The tokens are the user's alone.
    expect(statSync(credentialsFile).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(readFileSync(credentialsFile, 'utf8')).signIns[apiUrl];
    expect(stored).toMatchObject({ issuer: stack.signIn.issuer, clientId: stack.signIn.cliClientId });
    expect(stored.refreshToken).toEqual(expect.any(String));
  });

  it('says who is signed in, and signs requests in with the cached token', async () => {
    const whoami = await cli(['whoami', '--json']);
    expect(whoami.stderr).toBe('');
    expect(JSON.parse(whoami.stdout)).toMatchObject({
      apiUrl,
      issuer: stack.signIn.issuer,
      email: 'admin@example.org',
      groups: ['admins'],
      admin: true,
      cohorts: 'all',
      expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    const text = await cli(['whoami']);
    expect(text.stdout).toContain(`admin@example.org on ${apiUrl}`);
    expect(text.stdout).toContain('groups:   admins');
    const launched = await cli(['launch', 'program.yaml']);
    expect(launched.stdout).toContain('✓ launched cohort data-careers-spring-2027');
  });

  it('refreshes an expired access token with the refresh token', async () => {
    const file = JSON.parse(readFileSync(credentialsFile, 'utf8'));
    const before = file.signIns[apiUrl];
    file.signIns[apiUrl] = { ...before, expiresAt: Date.now() - 1000 };
    writeFileSync(credentialsFile, JSON.stringify(file));
    const status = await cli(['status', 'data-careers-spring-2027', '--json']);
    expect(status.stderr).toBe('');
    expect(JSON.parse(status.stdout)).toMatchObject({ id: 'data-careers-spring-2027' });
    const after = JSON.parse(readFileSync(credentialsFile, 'utf8')).signIns[apiUrl];
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.expiresAt).toBeGreaterThan(Date.now());
    expect(statSync(credentialsFile).mode & 0o777).toBe(0o600);
  });

  it('shows a script’s scope, not a person, for client credentials', async () => {
    const example = clients.find((client) => client.clientId === 'tandem-local-example');
    if (example?.kind !== 'script') throw new Error('no tandem-local-example dev client');
    const whoami = await cli(['whoami', '--json'], {
      TANDEM_CLIENT_ID: example.clientId,
      TANDEM_CLIENT_SECRET: example.secret,
    });
    expect(JSON.parse(whoami.stdout)).toMatchObject({
      client: example.clientId,
      admin: false,
      scope: ['tandem/cohort:data-careers-spring-2027'],
      cohorts: ['data-careers-spring-2027'],
    });
    const wrong = await cli(['status', 'data-careers-spring-2027'], {
      TANDEM_CLIENT_ID: example.clientId,
      TANDEM_CLIENT_SECRET: 'wrong',
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('The sign-in service refused');
    expect(wrong.stderr).not.toMatch(stackTraceLine);
  });

  it('forgets the tokens on logout, and then asks to sign in', async () => {
    const logout = await cli(['logout']);
    expect(logout.stdout).toContain(`✓ Signed out of ${apiUrl}`);
    expect(JSON.parse(readFileSync(credentialsFile, 'utf8')).signIns[apiUrl]).toBeUndefined();
    const whoami = await cli(['whoami']);
    expect(whoami.code).toBe(1);
    expect(whoami.stderr).toContain(`Not signed in to ${apiUrl}`);
    const status = await cli(['status', 'data-careers-spring-2027']);
    expect(status.code).toBe(1);
    expect(status.stderr).toMatch(/^Error: No token: .*Sign in with `tandem login`/m);
    expect((await cli(['logout'])).stdout).toContain(`· Not signed in to ${apiUrl}`);
  });
});

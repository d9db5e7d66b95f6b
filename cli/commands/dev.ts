import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { TandemError } from '../../shared/errors.ts';
import { adminsGroup } from '../../shared/use-cases/organizer-access.ts';
import { localStackFile } from '../api-client.ts';
import { action } from '../run.ts';

/** Where the dev stack keeps its virtual time between runs, beside its database. */
const clockFile = join('.local', 'clock.json');

export function registerDev(cli: Command): void {
  cli
    .command('dev')
    .description(
      'run the local backend (DynamoDB Local, SES inbox, HTTP API, a sign-in service with dev accounts, workflow) until Ctrl-C, on a virtual clock you drive with `tandem clock`; data is kept in .local/',
    )
    .option('--api-port <port>', 'port for the local HTTP API (default: a free port)', Number)
    .option('--console-port <port>', 'port for the web console (default: a free port)', Number)
    .option(
      '--fresh',
      'start with an empty database (and the clock at the real time) instead of those kept in .local/',
    )
    .option(
      '--speed <x>',
      'virtual seconds per real second: 1 is real time, 3600 an hour each second',
      positiveNumber,
      1,
    )
    .action(
      action(async (options: { apiPort?: number; consolePort?: number; fresh?: boolean; speed: number }) => {
        await refuseSecondInstance();
        const dbPath = join('.local', 'dynamodb');
        if (options.fresh) await rm(dbPath, { recursive: true, force: true });
        await mkdir(dbPath, { recursive: true });
        // The local stack (CDK, the engines) loads only when it runs: every other command starts fast.
        const { startLocalStack } = await import('../../local/local-stack.ts');
        const { devAdminClient } = await import('../../local/oidc/local-oidc-provider.ts');
        const { VirtualClock } = await import('../../local/virtual-clock.ts');
        const { clockPath, clockRoute } = await import('../../local/clock-control.ts');
        const { inboundPath, inboundRoute } = await import('../../local/inbound-control.ts');
        const { buildConsole } = await import('../../console/build.ts');
        // Built beside the stack's data (.local/), so two stacks in two folders never share it.
        const { outDir } = await buildConsole(join('.local', 'console'));
        // The clock goes on from where the last run left it: the database's cohorts are there.
        const kept = options.fresh ? 0 : await keptTime();
        const clock = new VirtualClock({
          start: new Date(Math.max(Date.now(), kept)),
          speed: options.speed,
          flowing: true,
        });
        const keepTime = async () => {
          await writeFile(clockFile, `${JSON.stringify({ now: new Date(clock.now()).toISOString() })}\n`);
        };
        const uninstall = clock.install();
        try {
          const stack = await startLocalStack({
            dbPath,
            clock,
            localRoutes: { [clockPath]: clockRoute(clock, keepTime), [inboundPath]: inboundRoute() },
            console: { dir: outDir, ...(options.consolePort ? { port: options.consolePort } : {}) },
            ...(options.apiPort ? { apiPort: options.apiPort } : {}),
          });
          await keepTime();
          await writeFile(localStackFile, `${JSON.stringify({ pid: process.pid, ...stack }, null, 2)}\n`);
          const { issuer, accounts } = stack.signIn;
          const script = devAdminClient();
          const admin = accounts.find((account) => account.groups.includes(adminsGroup));
          console.log('Tandem is running locally:');
          console.log(`Console: ${stack.consoleUrl}`);
          console.log(`API: ${stack.apiUrl}`);
          for (const account of accounts) console.log(`Sign in: ${account.email} / ${account.password}`);
          console.log(`  SES inbox       ${stack.inboxUrl}   (every email Tandem sends)`);
          console.log(
            `  DynamoDB Local  ${stack.dynamodbEndpoint}   (table ${stack.tableName}, kept in ${dbPath})`,
          );
          console.log(
            `  Sign-in         ${issuer}   (OpenID Connect; accounts and tokens last until Ctrl-C)`,
          );
          console.log(
            `  Scripts         TANDEM_CLIENT_ID=${script.clientId} TANDEM_CLIENT_SECRET=${script.clientSecret}`,
          );
          console.log(
            `  Virtual clock   ${new Date(clock.now()).toISOString().slice(0, 16).replace('T', ' ')} UTC, ${speedLabel(options.speed)}`,
          );
          console.log(`Open the console and sign in with an account above: ${stack.consoleUrl}`);
          console.log('Or, in another terminal:');
          console.log(
            `  npx tandem login   (in the browser, as ${admin?.email ?? 'an admin'}: admins launch cohorts)`,
          );
          console.log('  npx tandem launch examples/program.yaml');
          console.log('  npx tandem import examples/applications.csv --cohort data-careers-spring-2027');
          console.log('  npx tandem clock advance 2w    (walk the cohort through its phases)');
          console.log(
            '  npx tandem send-reply --from E --to reply+KEY@… --text "yes, we met"   (reply as a participant)',
          );
          console.log('Press Ctrl-C to stop.');
          await new Promise<void>((resolve) => {
            process.once('SIGINT', resolve);
            process.once('SIGTERM', resolve);
          });
          console.log('\nStopping…');
          await keepTime();
          await rm(localStackFile, { force: true });
          await stack.stop();
        } finally {
          uninstall();
        }
      }),
    );
}

export const speedLabel = (speed: number) =>
  speed === 1 ? 'real time' : `${speed}× real time (${formatSpan(speed)} each second)`;

function formatSpan(seconds: number): string {
  const units: [number, string][] = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, name] of units) {
    if (seconds >= size) {
      const count = Math.round((seconds / size) * 10) / 10;
      return `${count} ${name}${count === 1 ? '' : 's'}`;
    }
  }
  return `${seconds} seconds`;
}

async function keptTime(): Promise<number> {
  try {
    const { now } = JSON.parse(await readFile(clockFile, 'utf8')) as { now?: string };
    return now ? Date.parse(now) || 0 : 0;
  } catch {
    return 0;
  }
}

async function refuseSecondInstance(): Promise<void> {
  let pid: number | undefined;
  try {
    pid = (JSON.parse(await readFile(localStackFile, 'utf8')) as { pid?: number }).pid;
  } catch {
    return;
  }
  if (pid && isAlive(pid)) {
    throw new TandemError(
      'setup',
      `A local Tandem is already running (process ${pid}). Stop it with Ctrl-C first.`,
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function positiveNumber(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0 || number > 100_000_000) {
    throw new InvalidArgumentError(
      'must be a number above 0, e.g. 1 (real time) or 3600 (an hour each second).',
    );
  }
  return number;
}

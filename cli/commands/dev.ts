import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { TandemError } from '../../shared/errors.ts';
import { adminsGroup } from '../../shared/use-cases/organizer-access.ts';
import { localStackFile } from '../api-client.ts';
import { action } from '../run.ts';

export function registerDev(cli: Command): void {
  cli
    .command('dev')
    .description(
      'run the local backend (DynamoDB Local, SES inbox, HTTP API, a sign-in service with dev accounts) until Ctrl-C; data is kept in .local/',
    )
    .option('--api-port <port>', 'port for the local HTTP API (default: a free port)', Number)
    .option('--fresh', 'start with an empty database instead of the one kept in .local/')
    .action(
      action(async (options: { apiPort?: number; fresh?: boolean }) => {
        await refuseSecondInstance();
        const dbPath = join('.local', 'dynamodb');
        if (options.fresh) await rm(dbPath, { recursive: true, force: true });
        await mkdir(dbPath, { recursive: true });
        // The local stack (CDK, the engines) loads only when it runs: every other command starts fast.
        const { startLocalStack } = await import('../../local/local-stack.ts');
        const { devAdminClient } = await import('../../local/oidc/local-oidc-provider.ts');
        const stack = await startLocalStack({
          dbPath,
          ...(options.apiPort ? { apiPort: options.apiPort } : {}),
        });
        await writeFile(localStackFile, `${JSON.stringify({ pid: process.pid, ...stack }, null, 2)}\n`);
        const { issuer, accounts } = stack.signIn;
        const script = devAdminClient();
        const admin = accounts.find((account) => account.groups.includes(adminsGroup));
        console.log('Tandem is running locally:');
        console.log(`API: ${stack.apiUrl}`);
        for (const account of accounts) console.log(`Sign in: ${account.email} / ${account.password}`);
        console.log(`  SES inbox       ${stack.inboxUrl}   (every email Tandem sends)`);
        console.log(
          `  DynamoDB Local  ${stack.dynamodbEndpoint}   (table ${stack.tableName}, kept in ${dbPath})`,
        );
        console.log(`  Sign-in         ${issuer}   (OpenID Connect; accounts and tokens last until Ctrl-C)`);
        console.log(
          `  Scripts         TANDEM_CLIENT_ID=${script.clientId} TANDEM_CLIENT_SECRET=${script.clientSecret}`,
        );
        console.log('Try, in another terminal:');
        console.log(
          `  npx tandem login   (in the browser, as ${admin?.email ?? 'an admin'}: admins launch cohorts)`,
        );
        console.log('  npx tandem launch examples/program.yaml');
        console.log('  npx tandem import examples/applications.csv --cohort data-careers-spring-2027');
        console.log('Press Ctrl-C to stop.');
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        console.log('\nStopping…');
        await rm(localStackFile, { force: true });
        await stack.stop();
      }),
    );
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

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { TandemError } from '../shared/errors.ts';
import { freePort } from './free-port.ts';

export interface Stoppable {
  stop(): Promise<void>;
}

export interface RunningEngine extends Stoppable {
  endpoint: string;
}

export const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };
export const localRegion = 'us-east-1';

const require = createRequire(import.meta.url);

/**
 * A watchdog shell runs Java and kills it as soon as its stdin closes, which happens when we
 * stop it and also when this Node process dies for any reason: no JVM is ever left behind.
 */
const watchdog =
  'java "$@" & child=$!; read -r _; kill "$child" 2>/dev/null; wait "$child" 2>/dev/null; exit 0';

/**
 * Starts AWS's DynamoDB Local (the jar shipped in amplify-dynamodb-simulator) on a free port.
 * In memory by default; with `dbPath`, data survives restarts (used by `npm run dev`).
 */
export async function startDynamoDbLocal(options: { dbPath?: string } = {}): Promise<RunningEngine> {
  assertJava();
  const emulatorDir = join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const storage = options.dbPath ? ['-dbPath', resolve(options.dbPath)] : ['-inMemory'];
    const child = spawn(
      'sh',
      [
        '-c',
        watchdog,
        'dynamodb-local',
        `-Djava.library.path=${join(emulatorDir, 'DynamoDBLocal_lib')}`,
        '-Xmx1g',
        // The throughput collector: less of the JVM's CPU per request than the default G1 (measured).
        '-XX:+UseParallelGC',
        '-jar',
        join(emulatorDir, 'DynamoDBLocal.jar'),
        '-port',
        String(port),
        ...storage,
        '-sharedDb',
      ],
      { stdio: ['pipe', 'ignore', 'pipe'], cwd: emulatorDir },
    );
    child.stdin?.on('error', () => {});
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const endpoint = `http://127.0.0.1:${port}`;
    if (await waitUntilReady(endpoint, child)) {
      return { endpoint, stop: () => stopChild(child) };
    }
    lastError = stderr.trim().split('\n').slice(-3).join(' ');
    await stopChild(child);
    // Another process may have taken the port between our probe and Java's bind: try another.
    if (!/BindException|Address already in use/.test(stderr)) break;
  }
  throw new TandemError('setup', `DynamoDB Local did not start: ${lastError || 'no output'}`);
}

function assertJava(): void {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new TandemError(
      'setup',
      'Java 17 or newer is needed to run DynamoDB Local: install it (e.g. `sudo apt-get install -y openjdk-17-jre-headless`) and try again.',
    );
  }
}

async function waitUntilReady(endpoint: string, child: ChildProcess): Promise<boolean> {
  const client = new DynamoDBClient({
    endpoint,
    region: localRegion,
    credentials: localCredentials,
    maxAttempts: 1,
  });
  try {
    for (let i = 0; i < 200; i++) {
      if (child.exitCode !== null) return false;
      try {
        await client.send(new ListTablesCommand({}));
        return true;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    return false;
  } finally {
    client.destroy();
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.stdin?.end();
  });
}

import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ConsoleConfig } from '../console/security-headers.ts';
import { startConsoleServer } from './console-server.ts';
import { createTandemTable } from './create-table.ts';
import { localCredentials, localRegion, type Stoppable, startDynamoDbLocal } from './dynamodb-local.ts';
import { type LocalRoute, startLocalApi } from './local-api.ts';
import { type LocalOidc, type LocalOidcOptions, startLocalOidc } from './oidc/local-oidc-provider.ts';
import { startSesEventFeed } from './ses-event-feed.ts';
import { type CapturedEmail, startSesLocal } from './ses-local.ts';
import type { VirtualClock } from './virtual-clock.ts';
import { LocalStepFunctions, type SimulatedWorld } from './workflow/local-step-functions.ts';
import { loadWorkflowDefinitions } from './workflow/workflow-definitions.ts';

export interface LocalStack {
  apiUrl: string;
  /** The web console (when the stack serves it). */
  consoleUrl?: string;
  dynamodbEndpoint: string;
  sesEndpoint: string;
  inboxUrl: string;
  /** The emails the local SES has captured, from position `from` on (see `RunningSes`). */
  capturedSince(from: number): Promise<CapturedEmail[]>;
  tableName: string;
  /** Where "SES" stores raw inbound messages for the inbound function to read. */
  inboundMailDir: string;
  /** The cohort workflow, run from the synthesized definitions. */
  workflow: LocalStepFunctions;
  /** Where organizers sign in: the local OpenID provider, its dev accounts and clients. */
  signIn: Omit<LocalOidc, 'stop'>;
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  /** Keep DynamoDB Local's data in this folder (in memory when absent). */
  dbPath?: string;
  apiPort?: number;
  /** Run workflows in virtual time (months in seconds); real time when absent. */
  clock?: VirtualClock;
  /** Messages per second the local "SES" accepts: the local inbox has no limit of its own. */
  sendRate?: number;
  /** Where raw inbound messages go (a temporary folder when absent). */
  inboundMailDir?: string;
  /** Called as each workflow execution enters a state (progress, reports). */
  onStateEntered?: (execution: string, state: string) => void;
  /** What acts while the workflow waits in virtual time (simulated people). */
  world?: SimulatedWorld;
  /** Routes of the local stack itself, on the local API (the dev clock). */
  localRoutes?: Record<string, LocalRoute>;
  /** The local OpenID provider's port and signing key (tests mint tokens with it). */
  oidc?: LocalOidcOptions;
  /** Serve the web console built in this folder (`npm run build:console`). */
  console?: { dir: string; port?: number };
}

export const localTableName = 'tandem-local';
/** Replies on the local stack go to reply+KEY@ this domain (nothing resolves it: replies are simulated). */
export const localInboundDomain = 'reply.tandem.localhost';

/**
 * Tandem on real local engines: DynamoDB Local, aws-ses-v2-local, the HTTP API behind a JWT
 * authorizer, a real OpenID provider to sign in to it, and the cohort workflow on
 * aws-local-stepfunctions, on free ports. It points this process's AWS settings at
 * the engines, so the handlers and adapters run exactly as in Lambda. `stop()` leaves no
 * process behind.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const started: Stoppable[] = [];
  // Every engine is stopped even when one fails to: no process is left behind either way.
  const stopAll = async () => {
    const failures: unknown[] = [];
    for (const engine of started.reverse()) await engine.stop().catch((error) => failures.push(error));
    if (failures.length > 0) throw failures[0];
  };
  const track = <T extends Stoppable>(engine: T) => {
    started.push(engine);
    return engine;
  };
  try {
    // The console first: the sign-in service and the API need its origin (redirect, CORS).
    let consoleConfig: ConsoleConfig | undefined;
    const webConsole =
      options.console &&
      track(
        await startConsoleServer({
          dir: options.console.dir,
          ...(options.console.port ? { port: options.console.port } : {}),
          config: () => consoleConfig,
        }),
      );
    const [dynamodb, ses, oidc] = await Promise.all([
      startDynamoDbLocal(options.dbPath ? { dbPath: options.dbPath } : {}).then(track),
      startSesLocal(options.clock ? { clock: options.clock } : {}).then(track),
      startLocalOidc({
        ...options.oidc,
        ...(webConsole ? { consoleOrigin: webConsole.origin } : {}),
      }).then(track),
    ]);
    const definitions = loadWorkflowDefinitions();
    const workflow = new LocalStepFunctions(definitions, {
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.onStateEntered ? { onStateEntered: options.onStateEntered } : {}),
      ...(options.world ? { world: options.world } : {}),
    });
    track({ stop: async () => workflow.stopAll() });
    const stepFunctions = track(await workflow.serve());
    const inboundMailDir = options.inboundMailDir ?? (await mkdtemp(join(tmpdir(), 'tandem-inbound-')));
    await mkdir(inboundMailDir, { recursive: true });
    if (!options.inboundMailDir)
      track({ stop: () => rm(inboundMailDir, { recursive: true, force: true, maxRetries: 3 }) });

    Object.assign(process.env, {
      AWS_REGION: localRegion,
      AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
      AWS_ENDPOINT_URL_SESV2: ses.endpoint,
      AWS_ENDPOINT_URL_SFN: stepFunctions.url,
      TABLE_NAME: localTableName,
      INBOUND_DOMAIN: localInboundDomain,
      INBOUND_MAIL_DIR: inboundMailDir,
      FALLBACK_SENDER: 'tandem@tandem.localhost',
      COHORT_STATE_MACHINE_ARN: definitions.cohort.arn,
      SIGN_IN_ISSUER: oidc.issuer,
      SIGN_IN_CLI_CLIENT_ID: oidc.cliClientId,
      SES_MAX_SEND_RATE: String(options.sendRate ?? 14),
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_TRACE_ENABLED: 'false',
      // No X-Ray daemon locally: manual mode also spares every promise an async hook.
      AWS_XRAY_MANUAL_MODE: 'true',
    });
    // Handlers build their adapters once per process: from this stack's endpoints from now on.
    // (Imported only now: their Powertools instances read the environment just set.)
    const { resetHandlerDeps } = await import('../functions/adapters.ts');
    resetHandlerDeps();
    const client = new DynamoDBClient({
      endpoint: dynamodb.endpoint,
      region: localRegion,
      credentials: localCredentials,
    });
    try {
      await createTandemTable(client, localTableName);
    } finally {
      client.destroy();
    }
    const api = track(
      await startLocalApi({
        ...(options.apiPort ? { port: options.apiPort } : {}),
        authorizer: { issuer: oidc.issuer, audience: oidc.audience },
        ...(options.localRoutes ? { localRoutes: options.localRoutes } : {}),
        ...(webConsole ? { allowOrigins: [webConsole.origin] } : {}),
      }),
    );
    process.env.PUBLIC_API_URL = api.url;
    if (oidc.consoleClientId) {
      consoleConfig = { apiUrl: api.url, issuer: oidc.issuer, clientId: oidc.consoleClientId };
    }
    track(startSesEventFeed(ses));
    return {
      apiUrl: api.url,
      ...(webConsole ? { consoleUrl: webConsole.url } : {}),
      dynamodbEndpoint: dynamodb.endpoint,
      sesEndpoint: ses.endpoint,
      inboxUrl: ses.inboxUrl,
      capturedSince: (from) => ses.capturedSince(from),
      tableName: localTableName,
      inboundMailDir,
      workflow,
      signIn: {
        issuer: oidc.issuer,
        audience: oidc.audience,
        cliClientId: oidc.cliClientId,
        accounts: oidc.accounts,
        clients: oidc.clients,
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

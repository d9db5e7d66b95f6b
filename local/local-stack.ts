import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTandemTable } from './create-table.ts';
import { localCredentials, localRegion, type Stoppable, startDynamoDbLocal } from './dynamodb-local.ts';
import { startLocalApi } from './local-api.ts';
import { startSesEventFeed } from './ses-event-feed.ts';
import { startSesLocal } from './ses-local.ts';

export interface LocalStack {
  apiUrl: string;
  dynamodbEndpoint: string;
  sesEndpoint: string;
  inboxUrl: string;
  tableName: string;
  stop(): Promise<void>;
}

export const localTableName = 'tandem-local';
/** Replies on the local stack go to reply+KEY@ this domain (nothing resolves it: replies are simulated). */
export const localInboundDomain = 'reply.tandem.localhost';

/**
 * Tandem on real local engines: DynamoDB Local, aws-ses-v2-local and the HTTP API, on free
 * ports. It points this process's AWS settings at the engines, so the handlers and adapters
 * run exactly as in Lambda. `stop()` leaves no process behind.
 */
export async function startLocalStack(
  options: { dbPath?: string; apiPort?: number } = {},
): Promise<LocalStack> {
  const started: Stoppable[] = [];
  const stopAll = async () => {
    for (const engine of started.reverse()) await engine.stop();
  };
  try {
    const [dynamodb, ses] = await Promise.all([
      startDynamoDbLocal(options.dbPath ? { dbPath: options.dbPath } : {}).then((engine) => {
        started.push(engine);
        return engine;
      }),
      startSesLocal().then((engine) => {
        started.push(engine);
        return engine;
      }),
    ]);
    Object.assign(process.env, {
      AWS_REGION: localRegion,
      AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
      AWS_ENDPOINT_URL_SESV2: ses.endpoint,
      TABLE_NAME: localTableName,
      INBOUND_DOMAIN: localInboundDomain,
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_TRACE_ENABLED: 'false',
    });
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
    const api = await startLocalApi(options.apiPort ? { port: options.apiPort } : {});
    started.push(api);
    process.env.PUBLIC_API_URL = api.url;
    started.push(startSesEventFeed(ses.endpoint));
    return {
      apiUrl: api.url,
      dynamodbEndpoint: dynamodb.endpoint,
      sesEndpoint: ses.endpoint,
      inboxUrl: ses.inboxUrl,
      tableName: localTableName,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

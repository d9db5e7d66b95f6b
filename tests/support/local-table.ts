import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { createTandemTable } from '../../local/create-table.ts';
import { localCredentials, localRegion } from '../../local/dynamodb-local.ts';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.ts';

/** A fresh Tandem table on the shared DynamoDB Local, for one test file. */
export async function createTestTable() {
  const endpoint = inject('dynamodbEndpoint');
  const config = { endpoint, region: localRegion, credentials: localCredentials };
  const client = new DynamoDBClient(config);
  const tableName = `test-${randomUUID()}`;
  await createTandemTable(client, tableName);
  const db = createDocumentClient(config);
  return {
    tableName,
    db,
    endpoint,
    async drop() {
      await client.send(new DeleteTableCommand({ TableName: tableName }));
      client.destroy();
      db.destroy();
    },
  };
}

/** The DynamoDB commands `run` sends through `db`, in order (how many requests a use case costs). */
export async function requestsDuring(
  db: Awaited<ReturnType<typeof createTestTable>>['db'],
  run: () => Promise<unknown>,
): Promise<string[]> {
  const requests: string[] = [];
  db.middlewareStack.add(
    (next, context) => (args) => {
      requests.push(context.commandName ?? '?');
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  try {
    await run();
  } finally {
    db.middlewareStack.remove('countRequests');
  }
  return requests;
}

/** A clock that stands still until a test moves it. */
export function fixedClock(iso: string) {
  let now = new Date(iso);
  return {
    now: () => now,
    set(to: string) {
      now = new Date(to);
    },
  };
}

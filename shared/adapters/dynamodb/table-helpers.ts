import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  paginateQuery,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';

/** Per-item cancellation codes of a failed transaction, in TransactItems order (empty for other errors). */
export function cancellationReasons(error: unknown): (string | undefined)[] {
  if (!(error instanceof TransactionCanceledException)) return [];
  return (error.CancellationReasons ?? []).map((reason) => reason.Code);
}

/** Runs a conditional write: true when it happened, false when its condition did not hold. */
export async function whenConditionHolds(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

const keyAttributes = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'type', 'expiresAt'] as const;

/** An item as the domain sees it: without the table's key and bookkeeping attributes. */
export function withoutKeys<T>(item: Record<string, unknown>): T {
  const copy = { ...item };
  for (const attribute of keyAttributes) delete copy[attribute];
  return copy as T;
}

/** Every item a query returns, across pages. */
export async function queryAll(
  db: DynamoDBDocumentClient,
  input: QueryCommandInput,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const page of paginateQuery({ client: db }, input)) items.push(...(page.Items ?? []));
  return items;
}

/** Each key once: DynamoDB refuses a batch request that names one key twice. */
function uniqueKeys<K extends { pk: string; sk: string }>(itemKeys: K[]): K[] {
  return [...new Map(itemKeys.map((key) => [`${key.pk}\u0000${key.sk}`, key])).values()];
}

/** BatchGetItem's limit of keys per request. */
const batchGetLimit = 100;
/** Rounds of a batch request for what DynamoDB left unprocessed, before giving up (about 6 s of backoff). */
const batchAttempts = 10;
const backOff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));

/**
 * The items of these keys that exist (each once), read consistently, 100 keys a request; keys DynamoDB
 * leaves unprocessed (throttling) are asked for again after a growing pause, then it gives up
 * with an error (the caller's retry, e.g. the workflow's, tries later).
 */
export async function batchGetAll(
  db: DynamoDBDocumentClient,
  table: string,
  itemKeys: { pk: string; sk: string }[],
  attributes?: string[],
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  // Placeholders for every attribute: some (status, round) are DynamoDB reserved words.
  const projection = attributes && {
    ProjectionExpression: attributes.map((_, index) => `#a${index}`).join(', '),
    ExpressionAttributeNames: Object.fromEntries(attributes.map((name, index) => [`#a${index}`, name])),
  };
  const unique = uniqueKeys(itemKeys);
  for (let start = 0; start < unique.length; start += batchGetLimit) {
    let pending: Record<string, unknown>[] = unique.slice(start, start + batchGetLimit);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt === batchAttempts) {
        throw new Error(`DynamoDB left ${pending.length} keys unprocessed after ${attempt} attempts`);
      }
      if (attempt > 0) await backOff(attempt);
      const { Responses, UnprocessedKeys } = await db.send(
        new BatchGetCommand({
          RequestItems: {
            [table]: {
              Keys: pending,
              ConsistentRead: true,
              ...projection,
            },
          },
        }),
      );
      items.push(...(Responses?.[table] ?? []));
      pending = UnprocessedKeys?.[table]?.Keys ?? [];
    }
  }
  return items;
}

/** BatchWriteItem's limit of items per request. */
const batchWriteLimit = 25;

type WriteRequest =
  | { PutRequest: { Item: Record<string, unknown> } }
  | { DeleteRequest: { Key: Record<string, unknown> } };

/**
 * Puts these items, 25 a request, unconditionally; items DynamoDB leaves unprocessed
 * (throttling) are written again after a growing pause, then it gives up with an error.
 */
export function batchPutAll(
  db: DynamoDBDocumentClient,
  table: string,
  items: Record<string, unknown>[],
): Promise<void> {
  return batchWriteAll(
    db,
    table,
    items.map((Item) => ({ PutRequest: { Item } })),
  );
}

/** Deletes the items of these keys (those that exist), 25 a request, like `batchPutAll`. */
export function batchDeleteAll(
  db: DynamoDBDocumentClient,
  table: string,
  itemKeys: { pk: string; sk: string }[],
): Promise<void> {
  return batchWriteAll(
    db,
    table,
    uniqueKeys(itemKeys).map(({ pk, sk }) => ({ DeleteRequest: { Key: { pk, sk } } })),
  );
}

async function batchWriteAll(db: DynamoDBDocumentClient, table: string, requests: WriteRequest[]) {
  for (let start = 0; start < requests.length; start += batchWriteLimit) {
    let pending = requests.slice(start, start + batchWriteLimit);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt === batchAttempts) {
        throw new Error(`DynamoDB left ${pending.length} writes unprocessed after ${attempt} attempts`);
      }
      if (attempt > 0) await backOff(attempt);
      const { UnprocessedItems } = await db.send(
        new BatchWriteCommand({ RequestItems: { [table]: pending } }),
      );
      pending = (UnprocessedItems?.[table] ?? []) as WriteRequest[];
    }
  }
}

/** Every item of a partition whose sort key starts with `prefix`, read consistently. */
export function queryPrefix(db: DynamoDBDocumentClient, table: string, pk: string, prefix: string) {
  return queryAll(db, {
    TableName: table,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
    ConsistentRead: true,
  });
}

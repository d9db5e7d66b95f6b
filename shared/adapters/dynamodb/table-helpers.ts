import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, paginateQuery, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

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

/** Every item of a partition whose sort key starts with `prefix`, read consistently. */
export function queryPrefix(db: DynamoDBDocumentClient, table: string, pk: string, prefix: string) {
  return queryAll(db, {
    TableName: table,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
    ConsistentRead: true,
  });
}

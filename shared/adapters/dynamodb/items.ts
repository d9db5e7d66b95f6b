import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';

const keyAttributes = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'type', 'expiresAt'] as const;

/** An item as the domain sees it: the table's key and bookkeeping attributes removed. */
export function withoutKeys<T>(item: Record<string, unknown>): T {
  const copy = { ...item };
  for (const attribute of keyAttributes) delete copy[attribute];
  return copy as T;
}

/** Per-item cancellation codes of a failed transaction, in TransactItems order. */
export function cancellationReasons(error: unknown): (string | undefined)[] {
  if (!(error instanceof TransactionCanceledException)) return [];
  return (error.CancellationReasons ?? []).map((reason) => reason.Code);
}

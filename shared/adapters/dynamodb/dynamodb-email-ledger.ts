import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type LedgerKey, ledgerId } from '../../email/outbound-email.ts';
import { suppressionHash } from '../../email/suppression.ts';
import type {
  ClaimRecipient,
  ClaimResult,
  DeadLetterCopy,
  EmailLedger,
  LedgerEntry,
  ReopenResult,
} from '../../ports.ts';
import { keys } from './table-design.ts';
import {
  batchGetAll,
  cancellationReasons,
  queryAll,
  queryPrefix,
  whenConditionHolds,
} from './table-helpers.ts';

/** Participants Tandem may not mail: unsubscribed, bounced, or not in the cohort at all. */
const mailableCondition =
  'attribute_exists(pk) AND attribute_not_exists(unsubscribedAt) AND attribute_not_exists(undeliverableAt)';

/**
 * Messages claimed in one transaction: up to three actions each (participant check, suppression
 * check, claim), of DynamoDB's 100.
 */
const claimGroupSize = 25;
/** How long a dead letter's copy is kept for `tandem resend`: it holds names and addresses. */
const resendCopyDays = 30;
/** Messages marked sent in one transaction (DynamoDB's limit of actions). */
const markGroupSize = 100;

type Claim = { key: LedgerKey } & ClaimRecipient;
type Sent = { key: LedgerKey; claimToken: string; providerMessageId: string };
type Accepted = { key: LedgerKey; providerMessageId?: string };

export class DynamoDbEmailLedger implements EmailLedger {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async claim(
    key: LedgerKey,
    { now, leaseMs, ...recipient }: { now: Date; leaseMs: number } & ClaimRecipient,
  ): Promise<ClaimResult> {
    const claimToken = randomUUID();
    const checks = this.#recipientChecks(key, recipient);
    try {
      await this.#db.send(
        new TransactWriteCommand({
          TransactItems: [...checks, this.#newClaim(key, claimToken, { now, leaseMs })],
        }),
      );
      return { outcome: 'claimed', claimToken };
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (failedCheck(reasons, checks.length)) return { outcome: 'suppressed' };
      if (reasons.at(-1) !== 'ConditionalCheckFailed') throw error;
    }
    return this.#resolveExisting(key, { now, leaseMs }, recipient);
  }

  async claimAll(claims: Claim[], options: { now: Date; leaseMs: number }): Promise<ClaimResult[]> {
    const results: ClaimResult[] = [];
    // A transaction touches each item once: a message met again goes alone; a recipient met
    // again (a mentor with two mentees, one address) is checked once for all its messages.
    const messages = new Set<string>();
    const together: number[] = [];
    const alone: number[] = [];
    for (const [index, { key }] of claims.entries()) {
      const id = itemId(keys.send(key));
      if (messages.has(id)) alone.push(index);
      else {
        messages.add(id);
        together.push(index);
      }
    }
    for (let start = 0; start < together.length; start += claimGroupSize) {
      const group = together.slice(start, start + claimGroupSize);
      const tokens = group.map(() => randomUUID());
      const checks = new Map(
        group.flatMap((index) => {
          const { key, ...recipient } = claims[index] as Claim;
          return this.#recipientChecks(key, recipient).map((check) => [
            itemId(check.ConditionCheck.Key),
            check,
          ]);
        }),
      );
      try {
        await this.#db.send(
          new TransactWriteCommand({
            TransactItems: [
              ...checks.values(),
              ...group.map((index, i) =>
                this.#newClaim((claims[index] as Claim).key, tokens[i] as string, options),
              ),
            ],
          }),
        );
        group.forEach((index, i) => {
          results[index] = { outcome: 'claimed', claimToken: tokens[i] as string };
        });
      } catch (error) {
        // One message claimed before, or one recipient who may not be mailed: each on its own.
        if (!(error instanceof TransactionCanceledException)) throw error;
        alone.push(...group);
      }
    }
    for (const index of alone) {
      const { key, ...recipient } = claims[index] as Claim;
      results[index] = await this.claim(key, { ...options, ...recipient });
    }
    return results;
  }

  /** The write of a first claim: nobody claimed the message yet. */
  #newClaim(key: LedgerKey, claimToken: string, { now, leaseMs }: { now: Date; leaseMs: number }) {
    const item = {
      ...keys.send(key),
      type: 'send',
      ...key,
      status: 'sending',
      claimToken,
      claimedAt: now.toISOString(),
      leaseUntil: new Date(now.getTime() + leaseMs).toISOString(),
      attempts: 1,
    };
    return { Put: { TableName: this.#table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } };
  }

  /** The key was claimed before: decide from its state, taking over a claim whose lease ran out. */
  async #resolveExisting(
    key: LedgerKey,
    { now, leaseMs }: { now: Date; leaseMs: number },
    recipient: ClaimRecipient,
  ): Promise<ClaimResult> {
    const entry = await this.#getItem(key);
    if (entry?.status !== 'sending') return { outcome: 'done' };
    if (entry.acceptedAt) return { outcome: 'done' };
    if (String(entry.leaseUntil) > now.toISOString()) return { outcome: 'in-flight' };
    // Only the holder of the expired claim is replaced, and only if SES never reported it.
    return this.#takeOver(key, String(entry.claimToken), 'sending', { now, leaseMs }, recipient);
  }

  /**
   * Claims a message someone claimed before: the claim of token `old` is replaced in one
   * transaction with the recipient's checks, if the message is still `from` (a claim whose
   * lease ran out; or, resending, a dead letter or a resend whose lease ran out) and SES never
   * reported it.
   */
  async #takeOver(
    key: LedgerKey,
    old: string,
    from: 'sending' | 'failed-or-expired',
    { now, leaseMs }: { now: Date; leaseMs: number },
    recipient: ClaimRecipient,
  ): Promise<Extract<ClaimResult, { outcome: 'claimed' | 'suppressed' | 'in-flight' }>> {
    const claimToken = randomUUID();
    const checks = this.#recipientChecks(key, recipient);
    const state =
      from === 'sending'
        ? '#status = :sending'
        : '(#status = :failed OR (#status = :sending AND leaseUntil <= :now))';
    try {
      await this.#db.send(
        new TransactWriteCommand({
          TransactItems: [
            ...checks,
            {
              Update: {
                TableName: this.#table,
                Key: keys.send(key),
                UpdateExpression:
                  'SET #status = :sending, claimToken = :new, claimedAt = :now, leaseUntil = :lease ADD attempts :one',
                ConditionExpression: `claimToken = :old AND attribute_not_exists(acceptedAt) AND ${state}`,
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':new': claimToken,
                  ':old': old,
                  ':now': now.toISOString(),
                  ':lease': new Date(now.getTime() + leaseMs).toISOString(),
                  ':one': 1,
                  ':sending': 'sending',
                  ...(from === 'sending' ? {} : { ':failed': 'failed' }),
                },
              },
            },
          ],
        }),
      );
      return { outcome: 'claimed', claimToken };
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (failedCheck(reasons, checks.length)) return { outcome: 'suppressed' };
      if (reasons.at(-1) === 'ConditionalCheckFailed') return { outcome: 'in-flight' };
      throw error;
    }
  }

  /**
   * What must hold for the recipient, checked in the claim's transaction: a participant may be
   * mailed (not unsubscribed, not bounced), and the address is not on the suppression list.
   */
  #recipientChecks(key: LedgerKey, { participantEmail, recipientEmail }: ClaimRecipient) {
    const check = (Key: { pk: string; sk: string }, ConditionExpression: string) => ({
      ConditionCheck: { TableName: this.#table, Key, ConditionExpression },
    });
    return [
      ...(participantEmail
        ? [check(keys.participant(key.cohortId, participantEmail), mailableCondition)]
        : []),
      ...(recipientEmail
        ? [check(keys.suppression(suppressionHash(recipientEmail)), 'attribute_not_exists(pk)')]
        : []),
    ];
  }

  async settled(ledgerKeys: LedgerKey[]): Promise<Set<string>> {
    const entries = await this.#entries(ledgerKeys, ['status', 'acceptedAt']);
    return new Set(
      [...entries].filter(([, item]) => item.status !== 'sending' || item.acceptedAt).map(([id]) => id),
    );
  }

  /** The stored entries of these keys (those that exist), by `ledgerId`: one batch read. */
  async #entries(
    ledgerKeys: LedgerKey[],
    attributes: string[],
  ): Promise<Map<string, Record<string, unknown>>> {
    const items = await batchGetAll(
      this.#db,
      this.#table,
      ledgerKeys.map((key) => keys.send(key)),
      ['cohortId', 'recipientId', 'kind', 'round', ...attributes],
    );
    return new Map(items.map((item) => [ledgerId(item as unknown as LedgerKey), item]));
  }

  async markSent(key: LedgerKey, _claimToken: string, providerMessageId: string, now: Date): Promise<void> {
    await this.#db.send(new UpdateCommand(this.#sentUpdate(key, providerMessageId, now)));
  }

  async markAllSent(sent: Sent[], now: Date): Promise<void> {
    for (let start = 0; start < sent.length; start += markGroupSize) {
      const group = sent.slice(start, start + markGroupSize);
      const one = (entry: Sent) => this.markSent(entry.key, entry.claimToken, entry.providerMessageId, now);
      if (group.length === 1) {
        await one(group[0] as Sent);
        continue;
      }
      try {
        await this.#db.send(
          new TransactWriteCommand({
            TransactItems: group.map(({ key, providerMessageId }) => ({
              Update: this.#sentUpdate(key, providerMessageId, now),
            })),
          }),
        );
      } catch (error) {
        // A write to one of them at the same moment (SES's report, say): each on its own.
        if (!(error instanceof TransactionCanceledException)) throw error;
        for (const entry of group) await one(entry);
      }
    }
  }

  /** Not conditioned on the claim token: the message did go out, whoever holds the claim now. */
  #sentUpdate(key: LedgerKey, providerMessageId: string, now: Date) {
    return {
      TableName: this.#table,
      Key: keys.send(key),
      UpdateExpression: 'SET #status = :sent, providerMessageId = :id, sentAt = if_not_exists(sentAt, :now)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':sent': 'sent', ':id': providerMessageId, ':now': now.toISOString() },
    };
  }

  async markFailed(
    key: LedgerKey,
    claimToken: string,
    error: string,
    now: Date,
    copy?: DeadLetterCopy,
  ): Promise<void> {
    const at = now.toISOString();
    try {
      await this.#db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.#table,
                Key: keys.send(key),
                UpdateExpression: 'SET #status = :failed, #error = :error, failedAt = :now',
                ConditionExpression: 'claimToken = :token AND #status = :sending',
                ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
                ExpressionAttributeValues: {
                  ':failed': 'failed',
                  ':error': error,
                  ':now': at,
                  ':token': claimToken,
                  ':sending': 'sending',
                },
              },
            },
            {
              Put: {
                TableName: this.#table,
                Item: { ...keys.deadLetter(key), type: 'dead-letter', ...key, error, at },
              },
            },
            ...(copy
              ? [
                  {
                    Put: {
                      TableName: this.#table,
                      Item: {
                        ...keys.resendCopy(key),
                        type: 'resend-copy',
                        ...copy,
                        expiresAt: Math.floor(now.getTime() / 1000) + resendCopyDays * 86_400,
                      },
                    },
                  },
                ]
              : []),
          ],
        }),
      );
    } catch (failure) {
      // Someone else resolved the message in the meantime (sent it, or gave up first).
      if (!(failure instanceof TransactionCanceledException)) throw failure;
    }
  }

  async release(key: LedgerKey, claimToken: string, reason: string, now: Date): Promise<void> {
    // The lease ends now: the next claim takes the message over, as after a lease ran out.
    await whenConditionHolds(
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: keys.send(key),
          UpdateExpression: 'SET leaseUntil = :now, deferredAt = :now, #error = :reason',
          ConditionExpression: 'claimToken = :token AND #status = :sending',
          ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
          ExpressionAttributeValues: {
            ':now': now.toISOString(),
            ':reason': reason,
            ':token': claimToken,
            ':sending': 'sending',
          },
        }),
      ),
    );
  }

  async reopen(key: LedgerKey, { now, leaseMs }: { now: Date; leaseMs: number }): Promise<ReopenResult> {
    const [entry, copyItem] = await Promise.all([
      this.#getItem(key),
      this.#db
        .send(new GetCommand({ TableName: this.#table, Key: keys.resendCopy(key), ConsistentRead: true }))
        .then(({ Item }) => Item),
    ]);
    if (!entry || entry.status === 'sent' || entry.acceptedAt) {
      await this.clearDeadLetter(key, now);
      return { outcome: 'done' };
    }
    if (!copyItem || Number(copyItem.expiresAt) * 1000 <= now.getTime()) return { outcome: 'expired' };
    const copy: DeadLetterCopy = {
      email: copyItem.email as DeadLetterCopy['email'],
      ...(copyItem.participantEmail ? { participantEmail: String(copyItem.participantEmail) } : {}),
    };
    // Resent to whom it was composed for: only if they may still be mailed, and were not forgotten.
    const claim = await this.#takeOver(
      key,
      String(entry.claimToken),
      'failed-or-expired',
      { now, leaseMs },
      {
        recipientEmail: copy.email.to.email,
        ...(copy.participantEmail ? { participantEmail: copy.participantEmail } : {}),
      },
    );
    return claim.outcome === 'claimed' ? { ...claim, copy } : claim;
  }

  /**
   * The dead letter is kept a while as cleared (then TTL removes it), and its copy, which holds
   * names and addresses, expires at once: nothing is deleted outright.
   */
  async clearDeadLetter(key: LedgerKey, now: Date): Promise<void> {
    const seconds = Math.floor(now.getTime() / 1000);
    await this.#db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: this.#table,
              Key: keys.deadLetter(key),
              UpdateExpression: 'SET clearedAt = :now, expiresAt = :later',
              ExpressionAttributeValues: {
                ':now': now.toISOString(),
                ':later': seconds + resendCopyDays * 86_400,
              },
            },
          },
          {
            Update: {
              TableName: this.#table,
              Key: keys.resendCopy(key),
              UpdateExpression: 'SET expiresAt = :now',
              ExpressionAttributeValues: { ':now': seconds },
            },
          },
        ],
      }),
    );
  }

  async recordAccepted(accepted: Accepted[], now: Date): Promise<void> {
    // One read for the batch: SES reports nearly every message after it was marked sent, and
    // those need no write.
    const entries = await this.#entries(
      accepted.map(({ key }) => key),
      ['status', 'providerMessageId'],
    );
    for (const { key, providerMessageId } of accepted) {
      const entry = entries.get(ledgerId(key));
      // An event for a message this ledger never claimed (another deployment's): nothing to record.
      if (!entry || (entry.status === 'sent' && (entry.providerMessageId || !providerMessageId))) continue;
      await this.#settle(key, providerMessageId, now);
    }
  }

  async #settle(key: LedgerKey, providerMessageId: string | undefined, now: Date): Promise<void> {
    const at = now.toISOString();
    try {
      await this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: keys.send(key),
          UpdateExpression:
            'SET acceptedAt = if_not_exists(acceptedAt, :now), #status = :sent, sentAt = if_not_exists(sentAt, :now)' +
            (providerMessageId ? ', providerMessageId = if_not_exists(providerMessageId, :id)' : ''),
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':now': at,
            ':sent': 'sent',
            ...(providerMessageId ? { ':id': providerMessageId } : {}),
          },
        }),
      );
    } catch (error) {
      // Deleted since it was read (the cohort's data was erased): nothing to record.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async get(key: LedgerKey): Promise<LedgerEntry | undefined> {
    const item = await this.#getItem(key);
    return item ? toEntry(item) : undefined;
  }

  async sentMessages(cohortId: string): Promise<LedgerKey[]> {
    const items = await queryAll(this.#db, {
      TableName: this.#table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.cohortPk(cohortId), ':prefix': keys.sendPrefix },
      ExpressionAttributeNames: { '#status': 'status', '#round': 'round' },
      ProjectionExpression: 'cohortId, recipientId, kind, #round, #status, acceptedAt',
      ConsistentRead: true,
    });
    return items
      .filter((item) => item.status === 'sent' || item.acceptedAt)
      .map((item) => ({
        cohortId: String(item.cohortId),
        recipientId: String(item.recipientId),
        kind: item.kind as LedgerKey['kind'],
        round: Number(item.round),
      }));
  }

  async isSuppressed(email: string): Promise<boolean> {
    const { Item } = await this.#db.send(
      new GetCommand({
        TableName: this.#table,
        Key: keys.suppression(suppressionHash(email)),
        ProjectionExpression: 'pk',
      }),
    );
    return Item !== undefined;
  }

  async listDeadLetters(cohortId: string): Promise<LedgerEntry[]> {
    const items = (
      await queryPrefix(this.#db, this.#table, keys.cohortPk(cohortId), keys.deadLetterPrefix)
    ).filter((item) => item.clearedAt === undefined);
    return items.map((item) => ({ ...toEntry(item), status: 'failed', claimedAt: String(item.at) }));
  }

  async #getItem(key: LedgerKey): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.#db.send(
      new GetCommand({ TableName: this.#table, Key: keys.send(key), ConsistentRead: true }),
    );
    return Item;
  }
}

const itemId = ({ pk, sk }: { pk: string; sk: string }) => `${pk}\u0000${sk}`;

/** Whether one of the recipient's checks (the first `count` actions) cancelled the transaction. */
const failedCheck = (reasons: (string | undefined)[], count: number) =>
  reasons.slice(0, count).includes('ConditionalCheckFailed');

function toEntry(item: Record<string, unknown>): LedgerEntry {
  const entry: LedgerEntry = {
    key: {
      cohortId: String(item.cohortId),
      recipientId: String(item.recipientId),
      kind: item.kind as LedgerKey['kind'],
      round: Number(item.round),
    },
    status: item.status as LedgerEntry['status'],
    claimedAt: String(item.claimedAt),
    attempts: Number(item.attempts ?? 1),
  };
  if (item.providerMessageId) entry.providerMessageId = String(item.providerMessageId);
  if (item.sentAt) entry.sentAt = String(item.sentAt);
  if (item.error) entry.error = String(item.error);
  return entry;
}

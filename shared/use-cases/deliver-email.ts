import { createHash } from 'node:crypto';
import pMap from 'p-map';
import pRetry from 'p-retry';
import { type LedgerKey, ledgerId, type OutboundEmail, ownRoundsFrom } from '../email/outbound-email.ts';
import type { ClaimResult, Clock, EmailLedger, Mailer, NoticeBoard } from '../ports.ts';

export interface DeliveryDeps {
  ledger: EmailLedger;
  mailer: Mailer;
  clock: Clock;
  notices: NoticeBoard;
}

export interface DeliveryOptions {
  /**
   * How long a claim protects a message being sent. Longer than any send can take (Lambda
   * times out first) and than SES takes to report what it accepted, so an expired claim
   * without an SES report means the message never left.
   */
  leaseMs?: number;
  retry?: { retries: number; minTimeout: number; maxTimeout: number };
}

/**
 * `deferred`: SES refused it for now (daily quota, sending paused, still throttled after the
 * retries); the claim was given back, and the next run sends it.
 */
export type DeliveryOutcome =
  | 'sent'
  | 'already-sent'
  | 'in-flight'
  | 'suppressed'
  | 'deferred'
  | 'dead-lettered';

export const defaultLeaseMs = 15 * 60 * 1000;
const defaultRetry = { retries: 6, minTimeout: 250, maxTimeout: 8_000 };

/**
 * What a failed send tells about the message:
 * - `throttled`: SES refused it for its rate (or the request never left): safe to retry now;
 * - `held-back`: SES refuses mail for hours (daily quota, sending paused or suspended): later;
 * - `ambiguous`: no answer (timeout, connection reset, a 5xx): SES may have taken it, so it is
 *   never sent again until SES's own account (its `Send` event) or the lease says it did not;
 * - `rejected`: SES will not take this message: a dead letter, resent once the cause is fixed.
 */
export type SendFailure = 'throttled' | 'held-back' | 'ambiguous' | 'rejected';

const throttlingErrors = new Set([
  'TooManyRequestsException',
  'ThrottlingException',
  'Throttling',
  'LimitExceededException',
]);
const heldBackErrors = new Set(['SendingPausedException', 'AccountSuspendedException']);
/** The request never reached SES: nothing can have been sent. */
const unsentErrors = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
const ambiguousErrors = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'AbortError',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ECONNABORTED',
  'InternalFailure',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
]);

export function classifySendFailure(error: unknown): SendFailure {
  const e = error as {
    name?: string;
    code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const names = [e.name ?? '', e.code ?? ''];
  if (names.some((name) => heldBackErrors.has(name))) return 'held-back';
  if (names.some((name) => throttlingErrors.has(name)))
    return /daily (message|sending) quota/i.test(e.message ?? '') ? 'held-back' : 'throttled';
  if (names.some((name) => unsentErrors.has(name))) return 'throttled';
  if (names.some((name) => ambiguousErrors.has(name)) || (e.$metadata?.httpStatusCode ?? 0) >= 500)
    return 'ambiguous';
  return 'rejected';
}

/**
 * Sends one email at most once. The ledger is claimed with a conditional write before the
 * send and marked after it; throttling is retried with exponential backoff and jitter; a
 * message that cannot be sent becomes a dead letter the organizer sees, never silence.
 * `participantEmail` makes the claim fail for an unsubscribed or bounced participant, and every
 * claim fails for an address on the suppression list (someone who asked to be forgotten).
 */
export async function deliverEmail(
  email: OutboundEmail,
  participantEmail: string | undefined,
  deps: DeliveryDeps,
  options: DeliveryOptions = {},
): Promise<DeliveryOutcome> {
  const { ledger, clock } = deps;
  const key = email.ledger;
  const claim = await ledger.claim(key, {
    now: clock.now(),
    leaseMs: options.leaseMs ?? defaultLeaseMs,
    recipientEmail: email.to.email,
    ...(participantEmail ? { participantEmail } : {}),
  });
  if (claim.outcome !== 'claimed') return outcomeOf(claim);
  return deliverClaimed(email, claim.claimToken, participantEmail, deps, options);
}

/** Sends a message this worker has claimed, and marks it sent. */
export async function deliverClaimed(
  email: OutboundEmail,
  claimToken: string,
  participantEmail: string | undefined,
  deps: DeliveryDeps,
  options: DeliveryOptions = {},
): Promise<DeliveryOutcome> {
  const sent = await sendClaimed(email, claimToken, participantEmail, deps, options);
  if (typeof sent === 'string') return sent;
  await deps.ledger.markSent(email.ledger, claimToken, sent.providerMessageId, deps.clock.now());
  return 'sent';
}

/** Messages a wave claims, sends and marks at a time (claims and marks go together). */
const deliveryGroupSize = 50;

/**
 * `deliverEmail` for many messages (a wave's batch), with the same guarantees: each group is
 * claimed together, sent `concurrency` at a time under the mailer's rate, and marked sent
 * together, so the ledger costs a fraction of a request per message instead of two.
 */
export async function deliverEmails(
  messages: { email: OutboundEmail; participantEmail?: string }[],
  deps: DeliveryDeps,
  options: DeliveryOptions = {},
  concurrency = 8,
): Promise<DeliveryOutcome[]> {
  const { ledger, clock } = deps;
  const groups = Array.from({ length: Math.ceil(messages.length / deliveryGroupSize) }, (_, index) =>
    messages.slice(index * deliveryGroupSize, (index + 1) * deliveryGroupSize),
  );
  const deliverGroup = async (group: typeof messages) => {
    const claims = await ledger.claimAll(
      group.map(({ email, participantEmail }) => ({
        key: email.ledger,
        recipientEmail: email.to.email,
        ...(participantEmail ? { participantEmail } : {}),
      })),
      { now: clock.now(), leaseMs: options.leaseMs ?? defaultLeaseMs },
    );
    const sent: { key: LedgerKey; claimToken: string; providerMessageId: string }[] = [];
    const outcomes = await pMap(
      group,
      async ({ email, participantEmail }, index): Promise<DeliveryOutcome> => {
        const claim = claims[index] ?? { outcome: 'in-flight' };
        if (claim.outcome !== 'claimed') return outcomeOf(claim);
        const result = await sendClaimed(email, claim.claimToken, participantEmail, deps, options);
        if (typeof result === 'string') return result;
        sent.push({ key: email.ledger, claimToken: claim.claimToken, ...result });
        return 'sent';
      },
      { concurrency },
    );
    await ledger.markAllSent(sent, clock.now());
    return outcomes;
  };
  // Two groups at a time: one sends while the other waits for its claims or marks.
  return (await pMap(groups, deliverGroup, { concurrency: 2 })).flat();
}

function outcomeOf(claim: Exclude<ClaimResult, { outcome: 'claimed' }>): DeliveryOutcome {
  return claim.outcome === 'done' ? 'already-sent' : claim.outcome;
}

/**
 * Sends a claimed message, retrying at once only what SES refused for its rate. What SES holds
 * back for hours gives the claim back; an ambiguous failure keeps it (SES's `Send` event or
 * the lease decides); a rejection becomes a dead letter with a copy for `tandem resend`.
 */
async function sendClaimed(
  email: OutboundEmail,
  claimToken: string,
  participantEmail: string | undefined,
  { ledger, mailer, clock, notices }: DeliveryDeps,
  options: DeliveryOptions,
): Promise<{ providerMessageId: string } | Exclude<DeliveryOutcome, 'sent' | 'already-sent' | 'suppressed'>> {
  const retry = options.retry ?? defaultRetry;
  try {
    return await pRetry(() => mailer.send(email), {
      ...retry,
      randomize: true,
      shouldRetry: ({ error }) => classifySendFailure(error) === 'throttled',
    });
  } catch (error) {
    const reason = describeFailure(error);
    const now = clock.now();
    switch (classifySendFailure(error)) {
      case 'ambiguous':
        return 'in-flight';
      case 'throttled':
      case 'held-back':
        await ledger.release(email.ledger, claimToken, reason, now);
        // One notice a day per cohort and cause: sending goes on by itself once SES allows.
        await notices.post(
          email.ledger.cohortId,
          {
            at: now.toISOString(),
            kind: 'dead-letter',
            message: `SES is holding back mail (${reason}): Tandem keeps the messages and sends them when SES takes mail again.`,
          },
          stableId('held-back', now.toISOString().slice(0, 10), (error as { name?: string }).name ?? ''),
        );
        return 'deferred';
      case 'rejected':
        await ledger.markFailed(email.ledger, claimToken, reason, now, {
          email,
          ...(participantEmail ? { participantEmail } : {}),
        });
        await notices.post(
          email.ledger.cohortId,
          {
            at: now.toISOString(),
            kind: 'dead-letter',
            message: `Could not send ${describeKey(email.ledger)} to ${email.to.email}: ${reason}. Once fixed: tandem resend ${email.ledger.cohortId}`,
          },
          stableId('dead-letter', ledgerId(email.ledger), String(claimToken)),
        );
        return 'dead-lettered';
    }
  }
}

/** A notice id from what identifies the event: the same event posts once. */
export const stableId = (...parts: string[]) =>
  createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 20);

/** A message as an organizer knows it: its kind, and its check-in round when it has one. */
export function describeKey(key: LedgerKey): string {
  return key.round > 0 && key.round < ownRoundsFrom ? `${key.kind} (round ${key.round})` : key.kind;
}

function describeFailure(error: unknown): string {
  const e = error as { name?: string; message?: string };
  return `${e.name ?? 'Error'}: ${e.message ?? String(error)}`.slice(0, 500);
}

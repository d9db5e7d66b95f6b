import pMap from 'p-map';
import pRetry from 'p-retry';
import type { LedgerKey, OutboundEmail } from '../email/outbound-email.ts';
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

export type DeliveryOutcome = 'sent' | 'already-sent' | 'in-flight' | 'suppressed' | 'dead-lettered';

const defaultLeaseMs = 15 * 60 * 1000;
const defaultRetry = { retries: 6, minTimeout: 250, maxTimeout: 8_000 };

/** Errors worth retrying: SES throttling, its own transient faults, and network trouble. */
const transientErrors = new Set([
  'TooManyRequestsException',
  'ThrottlingException',
  'Throttling',
  'InternalFailure',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TimeoutError',
  'RequestTimeout',
  'ECONNRESET',
  'ETIMEDOUT',
]);

export function isTransient(error: unknown): boolean {
  const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  return (
    transientErrors.has(e.name ?? '') ||
    transientErrors.has(e.code ?? '') ||
    (e.$metadata?.httpStatusCode ?? 0) >= 500
  );
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
  const sent = await sendClaimed(email, claim.claimToken, deps, options);
  if (sent === 'dead-lettered') return sent;
  await ledger.markSent(key, claim.claimToken, sent.providerMessageId, clock.now());
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
      async ({ email }, index): Promise<DeliveryOutcome> => {
        const claim = claims[index] ?? { outcome: 'in-flight' };
        if (claim.outcome !== 'claimed') return outcomeOf(claim);
        const result = await sendClaimed(email, claim.claimToken, deps, options);
        if (result === 'dead-lettered') return result;
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

/** Sends a claimed message, retrying what is transient; gives up with a dead letter. */
async function sendClaimed(
  email: OutboundEmail,
  claimToken: string,
  { ledger, mailer, clock, notices }: DeliveryDeps,
  options: DeliveryOptions,
): Promise<{ providerMessageId: string } | 'dead-lettered'> {
  const retry = options.retry ?? defaultRetry;
  try {
    return await pRetry(() => mailer.send(email), {
      ...retry,
      randomize: true,
      shouldRetry: ({ error }) => isTransient(error),
    });
  } catch (error) {
    const reason = describeFailure(error);
    await ledger.markFailed(email.ledger, claimToken, reason, clock.now());
    await notices.post(email.ledger.cohortId, {
      at: clock.now().toISOString(),
      kind: 'dead-letter',
      message: `Could not send ${describeKey(email.ledger)} to ${email.to.email}: ${reason}`,
    });
    return 'dead-lettered';
  }
}

export function describeKey(key: LedgerKey): string {
  return key.round > 0 ? `${key.kind} (round ${key.round})` : key.kind;
}

function describeFailure(error: unknown): string {
  const e = error as { name?: string; message?: string };
  return `${e.name ?? 'Error'}: ${e.message ?? String(error)}`.slice(0, 500);
}

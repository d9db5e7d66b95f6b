import pRetry from 'p-retry';
import type { LedgerKey, OutboundEmail } from '../email/outbound-email.ts';
import type { Clock, EmailLedger, Mailer, NoticeBoard } from '../ports.ts';

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
 * `participantEmail` makes the claim fail for an unsubscribed or bounced participant.
 */
export async function deliverEmail(
  email: OutboundEmail,
  participantEmail: string | undefined,
  { ledger, mailer, clock, notices }: DeliveryDeps,
  options: DeliveryOptions = {},
): Promise<DeliveryOutcome> {
  const key = email.ledger;
  const claim = await ledger.claim(key, {
    now: clock.now(),
    leaseMs: options.leaseMs ?? defaultLeaseMs,
    ...(participantEmail ? { participantEmail } : {}),
  });
  if (claim.outcome === 'done') return 'already-sent';
  if (claim.outcome !== 'claimed') return claim.outcome;

  const retry = options.retry ?? defaultRetry;
  let providerMessageId: string;
  try {
    ({ providerMessageId } = await pRetry(() => mailer.send(email), {
      ...retry,
      randomize: true,
      shouldRetry: ({ error }) => isTransient(error),
    }));
  } catch (error) {
    const reason = describeFailure(error);
    await ledger.markFailed(key, claim.claimToken, reason, clock.now());
    await notices.post(key.cohortId, {
      at: clock.now().toISOString(),
      kind: 'dead-letter',
      message: `Could not send ${describeKey(key)} to ${email.to.email}: ${reason}`,
    });
    return 'dead-lettered';
  }
  await ledger.markSent(key, claim.claimToken, providerMessageId, clock.now());
  return 'sent';
}

export function describeKey(key: LedgerKey): string {
  return key.round > 0 ? `${key.kind} (round ${key.round})` : key.kind;
}

function describeFailure(error: unknown): string {
  const e = error as { name?: string; message?: string };
  return `${e.name ?? 'Error'}: ${e.message ?? String(error)}`.slice(0, 500);
}

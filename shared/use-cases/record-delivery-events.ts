import type { LedgerKey } from '../email/outbound-email.ts';
import type { Clock, CohortStore, EmailLedger, NoticeBoard } from '../ports.ts';
import { describeKey, stableId } from './deliver-email.ts';

/** What SES reported about a message, independent of how the report arrived. */
export interface DeliveryEvent {
  type: 'send' | 'delivery' | 'bounce' | 'complaint' | 'other';
  /** The message's ledger key, from its tags; absent for mail Tandem did not tag. */
  ledger?: LedgerKey;
  providerMessageId?: string;
  /** The addresses the bounce or complaint is about. */
  recipients: string[];
  bounceType?: string;
}

export interface DeliveryEventDeps {
  store: CohortStore;
  ledger: EmailLedger;
  notices: NoticeBoard;
  clock: Clock;
}

/** An event that could not be recorded: where it is in the batch, and why. */
export interface FailedDeliveryEvent {
  index: number;
  error: unknown;
}

/**
 * Acts on SES's account of messages, a batch at a time. `send`/`delivery` settle the ledger
 * (so a crash after sending never leads to a second copy), all in one go; a permanent bounce
 * makes the address undeliverable in every cohort it is in; a complaint unsubscribes the person
 * from the cohort that mailed them. Organizers are told once per person and cohort. Returns the
 * events that failed, for the caller to retry; the others are done.
 */
export async function recordDeliveryEvents(
  events: DeliveryEvent[],
  deps: DeliveryEventDeps,
): Promise<FailedDeliveryEvent[]> {
  const now = deps.clock.now();
  const failed: FailedDeliveryEvent[] = [];
  const settling = events.flatMap((event, index) =>
    (event.type === 'send' || event.type === 'delivery') && event.ledger
      ? [{ index, key: event.ledger, providerMessageId: event.providerMessageId }]
      : [],
  );
  if (settling.length > 0) {
    try {
      await deps.ledger.recordAccepted(
        settling.map(({ key, providerMessageId }) => ({
          key,
          ...(providerMessageId ? { providerMessageId } : {}),
        })),
        now,
      );
    } catch (error) {
      failed.push(...settling.map(({ index }) => ({ index, error })));
    }
  }
  for (const [index, event] of events.entries()) {
    try {
      await recordFeedback(event, now, deps);
    } catch (error) {
      failed.push({ index, error });
    }
  }
  return failed.sort((a, b) => a.index - b.index);
}

/** A permanent bounce or a complaint; other events carry no feedback about the person. */
async function recordFeedback(event: DeliveryEvent, now: Date, deps: DeliveryEventDeps): Promise<void> {
  const permanentBounce = event.type === 'bounce' && event.bounceType === 'Permanent';
  if (!permanentBounce && event.type !== 'complaint') return;

  for (const email of event.recipients) {
    const cohortIds =
      event.type === 'complaint' && event.ledger
        ? [event.ledger.cohortId]
        : await deps.store.findCohortIdsOfEmail(email);
    for (const cohortId of cohortIds) {
      const mark = permanentBounce ? 'undeliverableAt' : 'unsubscribedAt';
      // Marked now, or before by this very event (SQS delivers it again after a crash): the
      // notice follows either way, once (its id names the person, the cohort and the kind).
      if (!(await deps.store.markParticipant(cohortId, email, mark, now))) {
        const participant = await deps.store.getParticipant(cohortId, email);
        if (!participant?.[mark]) continue;
      }
      const about =
        event.ledger && event.ledger.cohortId === cohortId ? ` (${describeKey(event.ledger)})` : '';
      const kind = permanentBounce ? 'bounce' : 'complaint';
      await deps.notices.post(
        cohortId,
        {
          at: now.toISOString(),
          kind,
          message: permanentBounce
            ? `Mail to ${email} bounces permanently${about}: Tandem stopped emailing this address. Ask the participant for a working address.`
            : `${email} marked our email as spam${about}: Tandem unsubscribed them from this cohort.`,
        },
        stableId(kind, cohortId, email),
      );
    }
  }
}

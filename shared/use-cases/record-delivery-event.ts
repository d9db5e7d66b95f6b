import type { LedgerKey } from '../email/outbound-email.ts';
import type { Clock, CohortStore, EmailLedger, NoticeBoard } from '../ports.ts';
import { describeKey } from './deliver-email.ts';

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

/**
 * Acts on SES's account of a message. `send`/`delivery` settle the ledger (so a crash after
 * sending never leads to a second copy); a permanent bounce makes the address undeliverable in
 * every cohort it is in; a complaint unsubscribes the person from the cohort that mailed them.
 * Organizers are told once per person and cohort.
 */
export async function recordDeliveryEvent(event: DeliveryEvent, deps: DeliveryEventDeps): Promise<void> {
  const now = deps.clock.now();
  if ((event.type === 'send' || event.type === 'delivery') && event.ledger) {
    await deps.ledger.recordAccepted(event.ledger, event.providerMessageId, now);
    return;
  }
  const permanentBounce = event.type === 'bounce' && event.bounceType === 'Permanent';
  if (!permanentBounce && event.type !== 'complaint') return;

  for (const email of event.recipients) {
    const cohortIds =
      event.type === 'complaint' && event.ledger
        ? [event.ledger.cohortId]
        : await deps.store.findCohortIdsOfEmail(email);
    for (const cohortId of cohortIds) {
      const mark = permanentBounce ? 'undeliverableAt' : 'unsubscribedAt';
      if (!(await deps.store.markParticipant(cohortId, email, mark, now))) continue;
      const about =
        event.ledger && event.ledger.cohortId === cohortId ? ` (${describeKey(event.ledger)})` : '';
      await deps.notices.post(cohortId, {
        at: now.toISOString(),
        kind: permanentBounce ? 'bounce' : 'complaint',
        message: permanentBounce
          ? `Mail to ${email} bounces permanently${about}: Tandem stopped emailing this address. Ask the participant for a working address.`
          : `${email} marked our email as spam${about}: Tandem unsubscribed them from this cohort.`,
      });
    }
  }
}

import type { MessageKind } from './message-kinds.ts';

/**
 * One message to one recipient, identified in the ledger by cohort, recipient, kind and round:
 * that key is sent at most once, whatever retries, duplicate events or crashes happen.
 */
export interface LedgerKey {
  cohortId: string;
  /** A participant's id, or `organizer-<n>` for the program's organizers. */
  recipientId: string;
  kind: MessageKind;
  /**
   * 0 for intake and introductions, 1… for check-in rounds; from `ownRoundsFrom` on, a round of
   * the message's own (an organizer's confirmation, a mid-point thank-you), hashed from what it
   * is about, so that the ledger sends it besides others of its kind in the same round.
   */
  round: number;
}

/** Where rounds of a message's own start (`LedgerKey.round`): far above any check-in round. */
export const ownRoundsFrom = 1 << 16;

export interface OutboundEmail {
  ledger: LedgerKey;
  from: { name?: string; email: string };
  to: { name: string; email: string };
  replyTo?: string;
  subject: string;
  text: string;
  html: string;
  headers: { name: string; value: string }[];
  /** Files sent along (the cohort report to the organizers). */
  attachments?: EmailAttachment[];
}

export interface EmailAttachment {
  fileName: string;
  contentType: string;
  content: string;
}

/** The ledger key as one string, for headers and logs: `cohort/recipient/kind/round`. */
export const ledgerId = (key: LedgerKey) => `${key.cohortId}/${key.recipientId}/${key.kind}/${key.round}`;

export function parseLedgerId(id: string): LedgerKey | undefined {
  const [cohortId, recipientId, kind, round] = id.split('/');
  if (!cohortId || !recipientId || !kind || round === undefined || !/^\d+$/.test(round)) return undefined;
  return { cohortId, recipientId, kind: kind as MessageKind, round: Number(round) };
}

/** Header carrying the ledger id, so SES events and captured mail lead back to the ledger. */
export const ledgerHeader = 'X-Tandem-Message';

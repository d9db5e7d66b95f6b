/**
 * What to do with an inbound message, from the verdicts SES attaches to it (`receipt` in the
 * SES event; `SESReceipt` of @types/aws-lambda and Powertools' `SesSchema` both fit).
 *
 * - `drop`: never recorded, only logged: a virus, a message failing both SPF and DKIM (its
 *   sender cannot be who it says), or failing DMARC where the sender's domain says "reject".
 * - `hold`: kept for an organizer to look at, never recorded as a participant's answer: spam,
 *   or failing DMARC where the domain says "quarantine".
 * - `accept`: read it; the reply key and the sender are checked next.
 */

type VerdictStatus = 'PASS' | 'FAIL' | 'GRAY' | 'PROCESSING_FAILED' | 'DISABLED';

export interface ReceiptVerdicts {
  spfVerdict: { status: VerdictStatus };
  dkimVerdict: { status: VerdictStatus };
  dmarcVerdict: { status: VerdictStatus };
  dmarcPolicy?: 'none' | 'quarantine' | 'reject' | undefined;
  virusVerdict: { status: VerdictStatus };
  spamVerdict: { status: VerdictStatus };
}

export type AuthenticationVerdict =
  | { action: 'drop'; reason: 'virus' | 'spf_and_dkim_failed' | 'dmarc_reject' }
  | { action: 'hold'; reason: 'spam' | 'dmarc_quarantine' }
  | { action: 'accept'; reason: 'passed' };

export function authenticationVerdict(receipt: ReceiptVerdicts): AuthenticationVerdict {
  if (receipt.virusVerdict.status === 'FAIL') return { action: 'drop', reason: 'virus' };
  if (receipt.spfVerdict.status === 'FAIL' && receipt.dkimVerdict.status === 'FAIL')
    return { action: 'drop', reason: 'spf_and_dkim_failed' };
  const dmarcFailed = receipt.dmarcVerdict.status === 'FAIL';
  if (dmarcFailed && receipt.dmarcPolicy === 'reject') return { action: 'drop', reason: 'dmarc_reject' };
  if (receipt.spamVerdict.status === 'FAIL') return { action: 'hold', reason: 'spam' };
  if (dmarcFailed && receipt.dmarcPolicy === 'quarantine')
    return { action: 'hold', reason: 'dmarc_quarantine' };
  return { action: 'accept', reason: 'passed' };
}

import { getDomain } from 'tldts';

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

/** What, besides SES's verdicts, shows who sent a message: From, envelope sender, DKIM signers. */
export interface SenderEvidence {
  /** The From header's address. */
  from: string;
  /** The envelope sender (SMTP MAIL FROM; `mail.source` in SES's event), which SPF checks. */
  mailFrom?: string;
  /** The `d=` domain of every DKIM-Signature header of the message. */
  dkimDomains: string[];
}

/**
 * Whether the From address is proven, so a message may act for its sender (an organizer's
 * command, a destructive participant command, a courtesy reply): DMARC passed, or SPF passed for
 * an envelope sender in the From's organizational domain, or DKIM passed and every signature is
 * by that domain. SES says only *that* some signature passed, not whose: a message carrying
 * another domain's signature besides an aligned one proves nothing.
 */
export function isAuthenticatedSender(receipt: ReceiptVerdicts, evidence: SenderEvidence): boolean {
  if (receipt.dmarcVerdict.status === 'PASS') return true;
  const fromDomain = organizationalDomain(evidence.from);
  if (!fromDomain) return false;
  const spfAligned =
    receipt.spfVerdict.status === 'PASS' &&
    evidence.mailFrom !== undefined &&
    organizationalDomain(evidence.mailFrom) === fromDomain;
  const dkimAligned =
    receipt.dkimVerdict.status === 'PASS' &&
    evidence.dkimDomains.length > 0 &&
    evidence.dkimDomains.every((domain) => organizationalDomain(domain) === fromDomain);
  return spfAligned || dkimAligned;
}

/** The registrable domain of an address or host (`mail.eu.example.co.uk` → `example.co.uk`): DMARC's relaxed alignment. */
function organizationalDomain(addressOrDomain: string): string | undefined {
  const host = addressOrDomain
    .slice(addressOrDomain.lastIndexOf('@') + 1)
    .trim()
    .toLowerCase();
  return getDomain(host, { allowPrivateDomains: false }) ?? undefined;
}

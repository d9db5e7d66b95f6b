/**
 * Check-in emails carry `Reply-To: reply+KEY@<inbound domain>`; the key names the participant,
 * pair and round the reply belongs to. This only finds the key: whether it is valid, and
 * whether the sender may use it, is for the authentication step.
 */

const replyAddress = /^reply\+([A-Za-z0-9]{8,40})@([^@\s]+)$/i;

/** The key in one address, when it is a reply address (at `inboundDomain` when one is given). */
export function replyKeyOf(address: string, inboundDomain?: string): string | null {
  const match = replyAddress.exec(address.trim().replace(/^<|>$/g, ''));
  if (!match?.[1] || !match[2]) return null;
  if (inboundDomain && match[2].toLowerCase() !== inboundDomain.trim().toLowerCase()) return null;
  return match[1];
}

/**
 * Every distinct key among the recipients, most trustworthy first: pass the envelope
 * recipients (SES `receipt.recipients`) before the header ones. More than one key means the
 * message went to several pairs' addresses and cannot belong to one of them for sure.
 */
export function replyKeysIn(recipients: readonly string[], inboundDomain?: string): string[] {
  const keys = recipients.map((address) => replyKeyOf(address, inboundDomain));
  return [...new Set(keys.filter((key): key is string => key !== null))];
}

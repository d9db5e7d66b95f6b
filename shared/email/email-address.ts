import addressparser from 'nodemailer/lib/addressparser';
import { encodeWord } from 'nodemailer/lib/mime-funcs';

/**
 * `Name <email>` as a header value. Non-ASCII names are MIME-encoded (RFC 2047), which SES
 * requires, and quotes keep commas and other specials in a name from splitting it.
 */
export function formatAddress(address: { name?: string; email: string }): string {
  const name = address.name?.replace(/[\r\n]+/g, ' ').trim();
  if (!name) return address.email;
  const display = /^[\x20-\x7e]*$/.test(name)
    ? `"${name.replace(/(["\\])/g, '\\$1')}"`
    : encodeWord(name, 'B');
  return `${display} <${address.email}>`;
}

export const firstName = (name: string) => name.trim().split(/\s+/)[0] ?? name;

/** The first mailbox's address in a header value (`"Ann" <ann@example.org>` → `ann@example.org`). */
export function addressIn(headerValue: string): string {
  const mailbox = addressparser(headerValue, { flatten: true }).find((each) => each.address);
  return mailbox?.address ?? headerValue.trim();
}

import { normalizeEmail } from '../validation/fields.ts';

/**
 * One person, one address, however their mail client writes it: lower-cased, and without a
 * plus-tag ("Anna+Mentoring@Example.org" → "anna@example.org"), so a reply can be matched
 * with the participant it claims to come from.
 */
export function normalizeSender(address: string): string {
  const email = normalizeEmail(address);
  const at = email.lastIndexOf('@');
  if (at <= 0) return email;
  const local = email.slice(0, at).split('+')[0] || email.slice(0, at);
  return `${local}${email.slice(at)}`;
}

export const isSameSender = (a: string, b: string) => normalizeSender(a) === normalizeSender(b);

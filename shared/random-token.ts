import { randomBytes } from 'node:crypto';

const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * A random lower-case base32 token: 5 bits per character, so 16 characters carry 80 bits.
 * Lower case only, because some mail systems lower-case the addresses these end up in.
 */
export function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let token = '';
  for (const byte of bytes) token += alphabet[byte & 31];
  return token;
}

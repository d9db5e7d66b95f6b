import { createHash } from 'node:crypto';
import { normalizeEmail } from '../validation/fields.ts';

/**
 * The suppression list keeps addresses that must get no more mail (a person who asked to be
 * forgotten) as SHA-256 hashes only: the list proves nothing is sent to them without keeping
 * the address itself.
 */
export const suppressionHash = (email: string) =>
  createHash('sha256')
    .update(`tandem-suppression\n${normalizeEmail(email)}`)
    .digest('hex');

import pThrottle from 'p-throttle';
import type { Mailer } from '../ports.ts';

/** SES's default sending rate for a production account, per second. */
export const defaultSendRate = 14;

/** Spaces sends to stay under the account's SES rate (messages per second). */
export function throttledMailer(mailer: Mailer, perSecond: number): Mailer {
  const throttle = pThrottle({ limit: Math.max(1, Math.floor(perSecond)), interval: 1000, strict: true });
  return { send: throttle((email) => mailer.send(email)) };
}

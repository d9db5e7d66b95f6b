import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';

/**
 * Masks every email address in a text, `alice.smith@example.org` → `a***@example.org`: enough
 * to tell providers and people apart in a log, not enough to mail anyone. One pass outward
 * from each `@`, never back past the previous address: linear in the text, whatever it holds.
 */
export function maskEmails(text: string): string {
  if (!text.includes('@')) return text;
  let out = '';
  let copied = 0;
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > copied && isLocalChar(text.charCodeAt(start - 1))) start--;
    let end = at + 1;
    while (end < text.length && isDomainChar(text.charCodeAt(end))) end++;
    while (end > at + 1 && (text[end - 1] === '.' || text[end - 1] === '-')) end--;
    const domain = text.slice(at + 1, end);
    if (start === at || !domain.includes('.')) continue;
    out += `${text.slice(copied, start)}${text[start]}***@${domain}`;
    copied = end;
    at = end - 1;
  }
  return out + text.slice(copied);
}

/** Letters, digits and the punctuation RFC 5322 allows in a local part (dot-atom). */
const isLocalChar = (c: number) =>
  isAlphanumeric(c) || c >= 128 || "!#$%&'*+-/=?^_`{|}~.".includes(String.fromCharCode(c));
const isDomainChar = (c: number) => isAlphanumeric(c) || c >= 128 || c === 0x2e || c === 0x2d;
const isAlphanumeric = (c: number) =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/** Every string a log line carries (messages, attributes, error messages and stacks), masked. */
const maskingReplacer = (_key: string, value: unknown) =>
  typeof value === 'string' ? maskEmails(value) : value;

/** One logger, metrics and tracer per process, shared by every handler (Powertools' advice). */
export const logger = new Logger({ serviceName: 'tandem', jsonReplacerFn: maskingReplacer });
export const metrics = new Metrics({ namespace: 'Tandem', serviceName: 'tandem' });
export const tracer = new Tracer({ serviceName: 'tandem' });

/**
 * Wraps a handler with the Lambda context in every log line and metrics flushed at the end.
 * An error that escapes is masked in place (same error, same name for the workflow's retries),
 * since Lambda logs it, and Step Functions keeps it, outside the logger.
 */
export function instrumented<E, R>(handler: (event: E, context: Context) => Promise<R>) {
  return async (event: E, context: Context): Promise<R> => {
    logger.addContext(context);
    try {
      return await handler(event, context);
    } catch (error) {
      if (error instanceof Error) {
        error.message = maskEmails(error.message);
        if (error.stack) error.stack = maskEmails(error.stack);
      }
      throw error;
    } finally {
      // Publishing nothing makes Powertools log a warning on every request that adds no metric.
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    }
  };
}

import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';
import { maskEmails } from './mask-emails.ts';

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

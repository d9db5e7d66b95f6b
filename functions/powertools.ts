import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';

/** One logger, metrics and tracer per process, shared by every handler (Powertools' advice). */
export const logger = new Logger({ serviceName: 'tandem' });
export const metrics = new Metrics({ namespace: 'Tandem', serviceName: 'tandem' });
export const tracer = new Tracer({ serviceName: 'tandem' });

/** Wraps a handler with the Lambda context in every log line and metrics flushed at the end. */
export function instrumented<E, R>(handler: (event: E, context: Context) => Promise<R>) {
  return async (event: E, context: Context): Promise<R> => {
    logger.addContext(context);
    try {
      return await handler(event, context);
    } finally {
      // Publishing nothing makes Powertools log a warning on every request that adds no metric.
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    }
  };
}

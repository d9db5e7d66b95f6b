import { sendWaveBatch } from '../../shared/workflow/wave-steps.ts';
import { waveBatchSchema } from '../../shared/workflow/workflow-state.ts';
import { handlerDeps } from '../adapters.ts';
import { instrumented, logger } from '../powertools.ts';

/** One batch of a wave, from the workflow's Map state: sends it and reports the outcome counts. */
export const handler = instrumented(async (event: unknown) => {
  const batch = waveBatchSchema.parse(event);
  logger.appendKeys({ cohortId: batch.cohortId });
  const summary = await sendWaveBatch(batch, handlerDeps());
  logger.info('batch sent', { batch, summary });
  return summary;
});

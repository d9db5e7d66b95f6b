import { z } from 'zod';
import { requestApproval } from '../../shared/workflow/matching-steps.ts';
import { workflowStateSchema } from '../../shared/workflow/workflow-state.ts';
import { handlerDeps } from '../adapters.ts';
import { instrumented, logger } from '../powertools.ts';

/**
 * Invoked by a `waitForTaskToken` task: stores the token and asks the organizers to approve.
 * Its return value is ignored: the task ends when someone sends the token back (approval).
 */
const eventSchema = z.object({
  state: workflowStateSchema,
  taskToken: z.string().min(1),
  attempt: z.number().int().min(0).max(2),
});

export const handler = instrumented(async (event: unknown) => {
  const { state, taskToken, attempt } = eventSchema.parse(event);
  logger.appendKeys({ cohortId: state.cohortId });
  await requestApproval(state, { taskToken, attempt }, handlerDeps());
});

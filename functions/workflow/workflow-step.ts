import { z } from 'zod';
import { type WorkflowState, workflowStateSchema } from '../../shared/workflow/workflow-state.ts';
import { type HandlerDeps, handlerDeps } from '../adapters.ts';
import { instrumented, logger } from '../powertools.ts';

/**
 * A workflow step's handler: Step Functions sends `{ state, …step parameters }`; the step
 * returns the new state. Validated with zod, logged with the cohort, no Lambda in the use case.
 */
export function workflowStep<P extends z.ZodType>(
  parameters: P,
  step: (state: WorkflowState, parameters: z.output<P>, deps: HandlerDeps) => Promise<WorkflowState>,
) {
  const eventSchema = z.object({ state: workflowStateSchema });
  return instrumented(async (event: unknown) => {
    const { state } = eventSchema.parse(event);
    logger.appendKeys({ cohortId: state.cohortId });
    return step(state, parameters.parse(event), handlerDeps());
  });
}

/** No parameters besides the state. */
export const noParameters = z.object({});

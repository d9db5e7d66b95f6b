import { z } from 'zod';
import { notifyFailure } from '../../shared/workflow/close-steps.ts';
import { workflowStep } from './workflow-step.ts';

/** The execution's name comes from the state machine (`$$.Execution.Name`): it names the alert. */
export const handler = workflowStep(
  z.object({ execution: z.string().optional() }),
  (state, { execution }, deps) => notifyFailure(state, deps, execution),
);

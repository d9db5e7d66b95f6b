import { sendPendingConfirmations } from '../../shared/workflow/intake-steps.ts';
import { noParameters, workflowStep } from './workflow-step.ts';

export const handler = workflowStep(noParameters, (state, _parameters, deps) =>
  sendPendingConfirmations(state, deps),
);

import { notifyFailure } from '../../shared/workflow/close-steps.ts';
import { noParameters, workflowStep } from './workflow-step.ts';

export const handler = workflowStep(noParameters, (state, _parameters, deps) => notifyFailure(state, deps));

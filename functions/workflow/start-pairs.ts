import { startPairs } from '../../shared/workflow/matching-steps.ts';
import { noParameters, workflowStep } from './workflow-step.ts';

export const handler = workflowStep(noParameters, (state, _parameters, deps) => startPairs(state, deps));

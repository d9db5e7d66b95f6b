import { closeRound } from '../../shared/workflow/round-steps.ts';
import { noParameters, workflowStep } from './workflow-step.ts';

export const handler = workflowStep(noParameters, (state, _parameters, deps) => closeRound(state, deps));

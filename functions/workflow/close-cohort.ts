import { closeCohort } from '../../shared/workflow/close-steps.ts';
import { noParameters, workflowStep } from './workflow-step.ts';

export const handler = workflowStep(noParameters, (state, _parameters, deps) => closeCohort(state, deps));

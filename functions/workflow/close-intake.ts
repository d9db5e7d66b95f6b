import { closeIntake } from '../../shared/workflow/intake-steps.ts';
import { noParameters, workflowStep } from './workflow-step.ts';

export const handler = workflowStep(noParameters, (state, _parameters, deps) => closeIntake(state, deps));

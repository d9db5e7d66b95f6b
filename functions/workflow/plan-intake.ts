import { planIntake } from '../../shared/workflow/intake-steps.ts';
import { noParameters, workflowStep } from './workflow-step.ts';

export const handler = workflowStep(noParameters, (state, _parameters, deps) => planIntake(state, deps));

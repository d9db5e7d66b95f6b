import { planPurge } from '../../shared/workflow/retention-steps.ts';
import { noParameters, workflowStep } from './workflow-step.ts';

export const handler = workflowStep(noParameters, (state, _parameters, deps) => planPurge(state, deps));

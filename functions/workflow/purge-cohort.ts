import { purgeCohort } from '../../shared/workflow/retention-steps.ts';
import { noParameters, workflowStep } from './workflow-step.ts';

export const handler = workflowStep(noParameters, (state, _parameters, deps) => purgeCohort(state, deps));

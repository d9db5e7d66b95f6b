import { z } from 'zod';
import { ladderRungs } from '../../shared/cohorts/pair.ts';
import { climbLadderStep } from '../../shared/workflow/round-steps.ts';
import { workflowStep } from './workflow-step.ts';

export const handler = workflowStep(z.object({ rung: z.enum(ladderRungs) }), (state, { rung }, deps) =>
  climbLadderStep(state, rung, deps),
);

import { z } from 'zod';
import { waveKinds } from '../../shared/use-cases/waves.ts';
import { planWaveStep } from '../../shared/workflow/wave-steps.ts';
import { workflowStep } from './workflow-step.ts';

export const handler = workflowStep(z.object({ kind: z.enum(waveKinds) }), (state, { kind }, deps) =>
  planWaveStep(state, kind, deps),
);

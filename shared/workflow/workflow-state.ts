import { z } from 'zod';
import { waveKinds } from '../use-cases/waves.ts';

/**
 * The data a cohort's workflow carries from state to state. Every step takes the whole state
 * and returns it, changed: Wait states sleep until `wakeAt`, Choice states read `next`,
 * `intakeOpen`, `approved` and `wave`. The table, not this, is the source of truth: a new
 * execution started from `{ cohortId }` finds its way from the table alone.
 */
export const waveBatchSchema = z.object({
  cohortId: z.string(),
  kind: z.enum(waveKinds),
  round: z.number().int().min(0),
  dueBy: z.string(),
  dueAfter: z.string().optional(),
  index: z.number().int().min(0),
  of: z.number().int().min(1),
});
export type WaveBatchItem = z.output<typeof waveBatchSchema>;

// Step Functions adds fields (error details from a Catch, the approval decision): keep them.
export const workflowStateSchema = z.looseObject({
  cohortId: z.string().min(1),
  /** The round a round execution runs; absent in the cohort execution. */
  round: z.number().int().min(1).optional(),
  wakeAt: z.string().optional(),
  intakeOpen: z.boolean().optional(),
  /** The cohort was closed already (a restart): only its report and retention steps remain. */
  closed: z.boolean().optional(),
  /** Whether the match draft is approved already (a restarted workflow skips the approval wait). */
  approved: z.boolean().optional(),
  next: z
    .object({ action: z.enum(['wait', 'round', 'close-out']), round: z.number().int().optional() })
    .optional(),
  skip: z.boolean().optional(),
  wave: z
    .object({
      kind: z.enum(waveKinds),
      round: z.number().int().min(0),
      /** The instant this plan covered mornings up to: the next plan of the wave starts after it. */
      dueBy: z.string().optional(),
      batchCount: z.number().int().min(0),
      batches: z.array(waveBatchSchema),
    })
    .optional(),
});

export type WorkflowState = z.output<typeof workflowStateSchema>;

/** `wakeAt` removed: a state that does not sleep next must not carry an old wake-up time. */
export function awake(state: WorkflowState): WorkflowState {
  const { wakeAt: _wakeAt, ...rest } = state;
  return rest;
}

import { TandemError } from '../errors.ts';
import type { MailDeps } from '../use-cases/send-emails.ts';
import { planWave, sendWave, type WaveKind } from '../use-cases/waves.ts';
import { awake, type WaveBatchItem, type WorkflowState } from './workflow-state.ts';

/**
 * Participants per batch. A batch is one Lambda invocation; with the workflow's Map
 * concurrency it keeps each invocation short and the total send rate under SES's limit.
 */
export const waveBatchSize = 200;

/**
 * Plans the part of a wave that is due now (participants whose morning has come) as batches
 * for the Map state, and sets `wakeAt` to the next participants' morning, if any remain.
 * A later plan of the same wave covers only the mornings since the last one (its batches all
 * went out before the workflow got here); a fresh execution's first plan covers everything
 * due, and the ledger skips what was sent before a restart.
 */
export async function planWaveStep(
  state: WorkflowState,
  kind: WaveKind,
  deps: MailDeps,
): Promise<WorkflowState> {
  const round = kind === 'introductions' ? 0 : (state.round ?? 0);
  const dueBy = deps.clock.now().toISOString();
  const previous = state.wave?.kind === kind && state.wave.round === round ? state.wave.dueBy : undefined;
  const dueAfter = previous ? { dueAfter: previous } : {};
  const plan = await planWave(
    { cohortId: state.cohortId, kind, round, dueBy, ...dueAfter },
    deps,
    waveBatchSize,
  );
  const batches: WaveBatchItem[] = Array.from({ length: plan.batches }, (_, index) => ({
    cohortId: state.cohortId,
    kind,
    round,
    dueBy,
    ...dueAfter,
    index,
    of: plan.batches,
  }));
  return {
    ...awake(state),
    wave: { kind, round, dueBy, batchCount: batches.length, batches },
    ...(plan.nextDueAt ? { wakeAt: plan.nextDueAt } : {}),
  };
}

/** A claim another worker holds, or a crashed one SES has not reported on yet: retry later. */
export class MessagesInFlightError extends TandemError {
  constructor(count: number) {
    super(
      'conflict',
      `${count} messages are being sent by another worker or await SES's report; retry later`,
    );
    this.name = 'MessagesInFlight';
  }
}

/** SES holds mail back for now (daily quota, sending paused): the batch runs again later. */
export class SendingDeferredError extends TandemError {
  constructor(count: number) {
    super('conflict', `SES refused ${count} messages for now (daily quota or sending paused); retry later`);
    this.name = 'SendingDeferred';
  }
}

export async function sendWaveBatch(batch: WaveBatchItem, deps: MailDeps) {
  const { cohortId, kind, round, dueBy, dueAfter, index, of } = batch;
  const wave = { cohortId, kind, round, dueBy, ...(dueAfter ? { dueAfter } : {}) };
  const { summary } = await sendWave(wave, deps, { index, of });
  if (summary['in-flight'] > 0) throw new MessagesInFlightError(summary['in-flight']);
  if (summary.deferred > 0) throw new SendingDeferredError(summary.deferred);
  return summary;
}

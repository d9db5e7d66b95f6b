import { DateTime } from 'luxon';
import { isActive } from '../cohorts/cohort.ts';
import type { LadderRung } from '../cohorts/pair.ts';
import { cohortCalendar, localMorning } from '../program/calendar.ts';
import { climbLadder, type LadderDeps } from '../use-cases/engagement-ladder.ts';
import { loadCohort } from '../use-cases/load-cohort.ts';
import { sendHour } from '../use-cases/pair-messages.ts';
import { type DigestDeps, sendDigest } from '../use-cases/send-digest.ts';
import type { MailDeps } from '../use-cases/send-emails.ts';
import { awake, type WorkflowState } from './workflow-state.ts';

/** While a cohort is paused, the workflow looks again once a day. */
const pausedRecheck = { days: 1 };

/**
 * What the cohort does next, read from the table and the calendar (with the organizers'
 * pauses, extension or early end): run a round that is due, wait until the next thing is
 * due, or close out. Re-planning after every wait is what makes schedule changes take effect.
 */
export async function planNextStep(state: WorkflowState, deps: MailDeps): Promise<WorkflowState> {
  const cohort = await loadCohort(deps.store, state.cohortId);
  const now = deps.clock.now();
  const calendar = cohortCalendar(cohort.program, cohort.schedule);
  const paused = cohort.schedule.pauses.some((pause) => !pause.to);
  const zones = [
    ...new Set((await deps.store.listParticipants(cohort.id)).filter(isActive).map((p) => p.timezone)),
  ];
  // The earliest morning anywhere among the participants: the wave itself waits for each zone.
  const firstMorning = (day: string) =>
    new Date(
      Math.min(
        ...(zones.length ? zones : [cohort.program.timezone]).map((zone) =>
          localMorning(day, zone, sendHour).getTime(),
        ),
      ),
    );
  const waitUntil = (at: Date): WorkflowState => ({
    ...state,
    next: { action: 'wait' },
    wakeAt: at.toISOString(),
  });

  if (paused) return waitUntil(DateTime.fromJSDate(now).plus(pausedRecheck).toJSDate());
  const round = calendar.rounds.find((r) => r.number > cohort.completedRounds);
  if (round) {
    const at = firstMorning(round.date);
    return at > now ? waitUntil(at) : { ...awake(state), next: { action: 'round', round: round.number } };
  }
  const end = firstMorning(calendar.end);
  return end > now ? waitUntil(end) : { ...awake(state), next: { action: 'close-out' } };
}

/** A round execution starts: skipped when the round is no longer scheduled (a pause, an early end). */
export async function startRound(state: WorkflowState, deps: MailDeps): Promise<WorkflowState> {
  const cohort = await loadCohort(deps.store, state.cohortId);
  const scheduled = cohortCalendar(cohort.program, cohort.schedule).rounds.some(
    (r) => r.number === state.round,
  );
  const done = cohort.completedRounds >= (state.round ?? 0);
  return { ...awake(state), skip: !scheduled || done };
}

/** The round closes the morning after its last day, in the program's time zone. */
export async function planRoundClose(state: WorkflowState, deps: MailDeps): Promise<WorkflowState> {
  const cohort = await loadCohort(deps.store, state.cohortId);
  const round = cohortCalendar(cohort.program, cohort.schedule).rounds.find((r) => r.number === state.round);
  const day =
    DateTime.fromISO(round?.closesOn ?? cohort.program.start)
      .plus({ days: 1 })
      .toISODate() ?? '';
  return { ...state, wakeAt: localMorning(day, cohort.program.timezone, sendHour).toISOString() };
}

/** One rung of the engagement ladder, once the round has closed and before the digest. */
export async function climbLadderStep(
  state: WorkflowState,
  rung: LadderRung,
  deps: LadderDeps,
): Promise<WorkflowState> {
  await climbLadder(state.cohortId, state.round ?? 0, rung, deps);
  return awake(state);
}

/**
 * The organizers' digest for the round (at the mid-point: the review of stuck pairs), then the
 * round counts as completed, once.
 */
export async function closeRound(state: WorkflowState, deps: DigestDeps): Promise<WorkflowState> {
  const round = state.round ?? 0;
  await sendDigest(state.cohortId, round, deps);
  await deps.store.updateCohort(state.cohortId, { completedRounds: round }, { completedRoundsBelow: round });
  return awake(state);
}

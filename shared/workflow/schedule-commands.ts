import { DateTime } from 'luxon';
import type { Cohort } from '../cohorts/cohort.ts';
import { conflict, invalidInput } from '../errors.ts';
import type { Clock, CohortStore, NoticeBoard, WorkflowEngine } from '../ports.ts';
import { cohortCalendar, type ScheduleChanges } from '../program/calendar.ts';
import { loadCohort } from '../use-cases/load-cohort.ts';
import { keptUntil } from '../use-cases/personal-data.ts';

/**
 * What organizers do to a running cohort: pause it (holidays), resume it, extend it, end it
 * early, or restart its workflow after a failure or a redeploy. Each records the change in the
 * table, then starts a fresh execution, which reads the table and carries on from there at
 * once — a long Wait in the old execution never delays a change.
 */
export interface ControlDeps {
  store: CohortStore;
  clock: Clock;
  notices: NoticeBoard;
  engine: WorkflowEngine;
}

export interface ControlResult {
  cohortId: string;
  changed: boolean;
  message: string;
  executionName: string;
}

/** Cohorts are finite: never longer than twelve months, extensions included. */
const maxMonths = 12;

/** Stops the cohort's current execution, if any, and starts the next one. */
export async function startWorkflow(cohortId: string, deps: ControlDeps): Promise<string> {
  const cohort = await loadCohort(deps.store, cohortId);
  const previous = cohort.workflow?.executionName;
  const number = previous ? Number(previous.split('--').at(-1)) + 1 : 1;
  const executionName = `${cohortId}--${number}`;
  await deps.store.updateCohort(cohortId, { workflow: { executionName } });
  if (previous) await deps.engine.stop(previous);
  await deps.engine.start(executionName, { cohortId });
  return executionName;
}

async function changeSchedule(
  cohortId: string,
  deps: ControlDeps,
  change: (cohort: Cohort, today: string) => { schedule?: ScheduleChanges; message: string },
): Promise<ControlResult> {
  const cohort = await loadCohort(deps.store, cohortId);
  if (cohort.phase === 'closed')
    throw conflict(`Cohort "${cohortId}" is closed; its schedule can no longer change.`);
  const today = DateTime.fromJSDate(deps.clock.now()).setZone(cohort.program.timezone).toISODate() ?? '';
  const { schedule, message } = change(cohort, today);
  if (schedule) {
    await deps.store.updateCohort(cohortId, { schedule });
    await deps.notices.post(cohortId, { at: deps.clock.now().toISOString(), kind: 'workflow', message });
  }
  const executionName = await startWorkflow(cohortId, deps);
  return { cohortId, changed: Boolean(schedule), message, executionName };
}

export const pauseCohort = (cohortId: string, deps: ControlDeps) =>
  changeSchedule(cohortId, deps, ({ schedule }, today) => {
    if (schedule.pauses.some((pause) => !pause.to)) return { message: 'The cohort was already paused.' };
    return {
      schedule: { ...schedule, pauses: [...schedule.pauses, { from: today }] },
      message: `Paused on ${today}: no check-ins go out until the cohort is resumed.`,
    };
  });

export const resumeCohort = (cohortId: string, deps: ControlDeps) =>
  changeSchedule(cohortId, deps, ({ schedule }, today) => {
    if (!schedule.pauses.some((pause) => !pause.to)) return { message: 'The cohort was not paused.' };
    return {
      schedule: {
        ...schedule,
        pauses: schedule.pauses.map((pause) => (pause.to ? pause : { ...pause, to: today })),
      },
      message: `Resumed on ${today}: the remaining rounds move back by the length of the pause.`,
    };
  });

export function extendCohort(cohortId: string, weeks: number, deps: ControlDeps) {
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > 26) {
    throw invalidInput('The extension is not valid', [
      {
        path: 'weeks',
        message: 'must be a whole number of weeks from 1 to 26',
        hint: 'e.g. tandem extend COHORT --weeks 4',
      },
    ]);
  }
  return changeSchedule(cohortId, deps, ({ program, schedule }) => {
    if (schedule.endedOn) throw conflict(`Cohort "${cohortId}" was ended early; it cannot be extended.`);
    const extended = { ...schedule, extensionWeeks: schedule.extensionWeeks + weeks };
    const limit =
      DateTime.fromISO(program.start).plus({ months: maxMonths }).minus({ days: 1 }).toISODate() ?? '';
    const end = cohortCalendar(program, extended).end;
    if (end > limit) {
      throw conflict(
        `Extending by ${weeks} weeks would end the cohort on ${end}, after ${limit}: cohorts last at most ${maxMonths} months.`,
      );
    }
    return { schedule: extended, message: `Extended by ${weeks} weeks: the cohort now ends on ${end}.` };
  });
}

export const endCohort = (cohortId: string, deps: ControlDeps) =>
  changeSchedule(cohortId, deps, ({ schedule }, today) => {
    if (schedule.endedOn) return { message: `The cohort was already ended on ${schedule.endedOn}.` };
    return {
      schedule: { ...schedule, endedOn: today },
      message: `Ended early on ${today}: the close-out survey goes out now and the thank-you a week later.`,
    };
  });

/**
 * A fresh execution that carries on from where the cohort stands. A closed cohort's goes
 * straight to its last steps: the wait for the end of its retention period, then the purge.
 */
export async function restartWorkflow(cohortId: string, deps: ControlDeps): Promise<ControlResult> {
  const cohort = await loadCohort(deps.store, cohortId);
  if (cohort.phase !== 'closed')
    return changeSchedule(cohortId, deps, () => ({
      message: 'The workflow carries on from where the cohort stands.',
    }));
  const executionName = await startWorkflow(cohortId, deps);
  const message = cohort.purgedAt
    ? `The cohort is closed and its personal data was purged on ${cohort.purgedAt.slice(0, 10)}: nothing is left to do.`
    : `The cohort is closed: its personal data is kept until ${keptUntil(cohort)}, then purged.`;
  return { cohortId, changed: false, message, executionName };
}

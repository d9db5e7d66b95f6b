import { DateTime } from 'luxon';
import type { Program } from './program-schema.ts';

/**
 * The cohort's timeline, derived from the program and the organizer's schedule changes: the
 * introductions on the start date, one check-in round per cadence interval on working days
 * (holidays skipped), the mid-point survey in place of the check-in of the round at the
 * mid-point, the close-out survey in place of the last check-in, and the thank-you on the
 * last day. Pauses push what follows them back; an extension adds rounds; ending early
 * brings the close-out forward.
 */

/** What organizers changed while the cohort runs (`tandem pause|resume|extend|end`). */
export interface ScheduleChanges {
  /** In order; a pause without `to` is still on, and nothing after its start is scheduled. */
  pauses: { from: string; to?: string }[];
  /** Weeks added to the program's length (the total stays within 12 months). */
  extensionWeeks: number;
  /** The cohort was ended early on this day: its close-out survey goes out then. */
  endedOn?: string;
}

export const noScheduleChanges: ScheduleChanges = { pauses: [], extensionWeeks: 0 };

/** After an early end, participants get this long to answer the close-out survey. */
const closeOutAfterEarlyEnd = { days: 7 };

export type RoundKind = 'check-in' | 'midpoint-survey' | 'closeout-survey';

export interface CalendarRound {
  /** 1-based. Round 0 is intake and the introductions. */
  number: number;
  /** The day the round's emails go out, in each participant's own morning. */
  date: string;
  kind: RoundKind;
  /** A reminder goes to those who have not answered yet. */
  nudgeDate: string;
  /** After this day, replies count for the next round; the organizer digest goes out. */
  closesOn: string;
}

export interface CohortCalendar {
  intakeOpens: string;
  intakeCloses: string;
  /** Introductions go out on the first working day from the program's start. */
  introductions: string;
  rounds: CalendarRound[];
  /** The round that carries the mid-point survey; 0 when the cohort is too short for one. */
  midpointRound: number;
  /** The last day of the cohort: the thank-you goes out. */
  end: string;
}

const intervals = { weekly: { days: 7 }, biweekly: { days: 14 }, monthly: { months: 1 } } as const;
/** Working days between a round and its nudge: long enough to answer, short enough to matter. */
const nudgeAfter = { weekly: 2, biweekly: 4, monthly: 7 } as const;

/** Calendars already worked out, per program object and schedule: a round renders thousands of emails. */
const calendars = new WeakMap<Program, Map<string, CohortCalendar>>();

export function cohortCalendar(
  program: Program,
  changes: ScheduleChanges = noScheduleChanges,
): CohortCalendar {
  let byChanges = calendars.get(program);
  if (!byChanges) {
    byChanges = new Map();
    calendars.set(program, byChanges);
  }
  const key = JSON.stringify(changes);
  let calendar = byChanges.get(key);
  if (!calendar) {
    calendar = workOutCalendar(program, changes);
    byChanges.set(key, calendar);
  }
  return calendar;
}

function workOutCalendar(program: Program, changes: ScheduleChanges): CohortCalendar {
  const holidays = new Set(program.holidays);
  const isWorkingDay = (day: DateTime) => day.weekday <= 5 && !holidays.has(iso(day));
  const onOrAfterWorkingDay = (day: DateTime) => {
    let d = day;
    while (!isWorkingDay(d)) d = d.plus({ days: 1 });
    return d;
  };
  const addWorkingDays = (day: DateTime, count: number) => {
    let d = day;
    for (let left = count; left > 0; ) {
      d = d.plus({ days: 1 });
      if (isWorkingDay(d)) left--;
    }
    return d;
  };

  const start = date(program.start);
  let end: DateTime = date(cohortEnd(program)).plus({ weeks: changes.extensionWeeks });
  const introductions = onOrAfterWorkingDay(start);
  const interval = intervals[program.cadence];

  let nominal: DateTime[] = [];
  for (let step = 1; ; step++) {
    const day = start.plus(scale(interval, step));
    if (onOrAfterWorkingDay(day) >= end) break;
    nominal.push(day);
  }
  if (nominal.length === 0) nominal.push(start.plus({ days: 1 }));

  // Each pause pushes everything from its start back by its length; an open pause holds it all.
  for (const pause of changes.pauses) {
    const from = date(pause.from);
    if (!pause.to) {
      nominal = nominal.filter((day) => day < from);
      break;
    }
    const length = date(pause.to).diff(from, 'days').days;
    nominal = nominal.map((day) => (day >= from ? day.plus({ days: length }) : day));
    if (end >= from) end = end.plus({ days: length });
  }
  if (changes.endedOn) {
    const endedOn = onOrAfterWorkingDay(date(changes.endedOn));
    nominal = [...nominal.filter((day) => onOrAfterWorkingDay(day) < endedOn), endedOn];
    end = endedOn.plus(closeOutAfterEarlyEnd);
  }

  const dates: DateTime[] = [];
  for (const day of nominal.map(onOrAfterWorkingDay)) {
    const previous = dates.at(-1);
    if (!previous || day > previous) dates.push(day);
  }

  const midpointDate =
    program.midpoint === 'halfway'
      ? start.plus({ days: Math.floor(end.diff(start, 'days').days / 2) })
      : date(program.midpoint);
  const lastIndex = dates.length - 1;
  const firstAfterMidpoint = dates.findIndex((day) => day >= midpointDate);
  // The mid-point survey never replaces the close-out survey; a one-round cohort has none.
  const midpointIndex = Math.min(firstAfterMidpoint === -1 ? lastIndex : firstAfterMidpoint, lastIndex - 1);

  const rounds = dates.map((day, index): CalendarRound => {
    const next = dates[index + 1] ?? end;
    const kind: RoundKind =
      index === lastIndex ? 'closeout-survey' : index === midpointIndex ? 'midpoint-survey' : 'check-in';
    const nudge = addWorkingDays(day, nudgeAfter[program.cadence]);
    return {
      number: index + 1,
      date: iso(day),
      kind,
      nudgeDate: iso(nudge < next ? nudge : day.plus({ days: 1 })),
      closesOn: iso(DateTime.max(next.minus({ days: 1 }), day)),
    };
  });

  return {
    intakeOpens: program.intake.opens,
    intakeCloses: program.intake.closes,
    introductions: iso(introductions),
    rounds,
    midpointRound: midpointIndex + 1,
    end: iso(end),
  };
}

/** The last day of the cohort: `lengthMonths` after the start, exclusive. */
function cohortEnd(program: Pick<Program, 'start' | 'lengthMonths'>): string {
  return iso(date(program.start).plus({ months: program.lengthMonths }).minus({ days: 1 }));
}

/** Time-zone arithmetic is slow and a wave asks for the same few mornings thousands of times. */
const mornings = new Map<string, number>();

/** The instant `hour`:00 on `day` in `timeZone`: each participant's email goes out in their morning. */
export function localMorning(day: string, timeZone: string, hour = 9): Date {
  const key = `${day}|${timeZone}|${hour}`;
  let instant = mornings.get(key);
  if (instant === undefined) {
    instant = DateTime.fromISO(day, { zone: timeZone })
      .set({ hour, minute: 0, second: 0, millisecond: 0 })
      .toMillis();
    if (mornings.size > 10_000) mornings.clear();
    mornings.set(key, instant);
  }
  return new Date(instant);
}

const date = (value: string) => DateTime.fromISO(value, { zone: 'UTC' });
const iso = (day: DateTime) => day.toISODate() ?? '';
const scale = (interval: { days?: number; months?: number }, step: number) =>
  interval.months ? { months: interval.months * step } : { days: (interval.days ?? 0) * step };

/**
 * Where a running cohort stands on its calendar at `now`: `current`, the last round whose
 * check-in has gone out (its date has come in the program's time zone, or its digest went
 * out; 0 before the first), and `next`, the first round whose check-in has not (undefined when
 * none is left): the round a pair formed now joins.
 */
export function roundsAt(
  program: Program,
  schedule: ScheduleChanges,
  completedRounds: number,
  now: Date,
): { current: number; next?: number } {
  const today = DateTime.fromJSDate(now, { zone: program.timezone }).toISODate() ?? '';
  const { rounds } = cohortCalendar(program, schedule);
  const started = rounds.filter((round) => round.date <= today).at(-1)?.number ?? 0;
  const current = Math.max(completedRounds, started);
  const next = rounds.find((round) => round.number > current)?.number;
  return next === undefined ? { current } : { current, next };
}

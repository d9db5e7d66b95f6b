import { DateTime } from 'luxon';
import type { Program } from './program-schema.ts';

/**
 * The cohort's timeline, derived from the program alone: the introductions on the start
 * date, one check-in round per cadence interval on working days (holidays skipped), the
 * mid-point survey in place of the check-in of the round at the mid-point, the close-out
 * survey in place of the last check-in, and the thank-you on the last day.
 */

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

export function cohortCalendar(program: Program): CohortCalendar {
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
  const end = date(cohortEnd(program));
  const introductions = onOrAfterWorkingDay(start);
  const interval = intervals[program.cadence];

  const dates: DateTime[] = [];
  for (let step = 1; ; step++) {
    const nominal = start.plus(scale(interval, step));
    const day = onOrAfterWorkingDay(nominal);
    if (day >= end) break;
    const previous = dates.at(-1);
    if (!previous || day > previous) dates.push(day);
  }
  if (dates.length === 0) dates.push(onOrAfterWorkingDay(start.plus({ days: 1 })));

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
export function cohortEnd(program: Pick<Program, 'start' | 'lengthMonths'>): string {
  return iso(date(program.start).plus({ months: program.lengthMonths }).minus({ days: 1 }));
}

/** The instant `hour`:00 on `day` in `timeZone`: each participant's email goes out in their morning. */
export function localMorning(day: string, timeZone: string, hour = 9): Date {
  return DateTime.fromISO(day, { zone: timeZone })
    .set({ hour, minute: 0, second: 0, millisecond: 0 })
    .toJSDate();
}

const date = (value: string) => DateTime.fromISO(value, { zone: 'UTC' });
const iso = (day: DateTime) => day.toISODate() ?? '';
const scale = (interval: { days?: number; months?: number }, step: number) =>
  interval.months ? { months: interval.months * step } : { days: (interval.days ?? 0) * step };

import { DateTime } from 'luxon';
import {
  exclusionsSchema,
  lengthMonthsSchema,
  matchingSchema,
  mentorCapacitySchema,
} from '../program/matching-schema.ts';
import type { Program } from '../program/program-schema.ts';

/** The part of a program that matching reads. A full `Program` is one. */
export type MatchingProgram = Pick<
  Program,
  'matching' | 'mentorCapacity' | 'exclusions' | 'start' | 'lengthMonths'
>;

/**
 * The program's defaults, for matching a CSV without a program file. Working hours are then
 * compared over the six months from `start` (today, for the CLI).
 */
export function defaultMatchingProgram(start: string): MatchingProgram {
  return {
    matching: matchingSchema.parse(undefined),
    mentorCapacity: mentorCapacitySchema.parse(undefined),
    exclusions: exclusionsSchema.parse(undefined),
    start,
    lengthMonths: lengthMonthsSchema.parse(undefined),
  };
}

/** One day in each month of the cohort: working-hours overlap is averaged over them (DST). */
export function cohortSampleDates(program: MatchingProgram): DateTime[] {
  const start = DateTime.fromISO(program.start, { zone: 'UTC' }).plus({ days: 14 });
  return Array.from({ length: program.lengthMonths }, (_, month) => start.plus({ months: month }));
}

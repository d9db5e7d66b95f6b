import { DateTime } from 'luxon';
import type { Program } from './program-schema.ts';

/**
 * The same program moved in time so that intake opens on `opens`: every date keeps its
 * distance from the others. Lets the example program run today, whatever dates it names.
 */
export function shiftProgram(program: Program, opens: string): Program {
  const days = DateTime.fromISO(opens).diff(DateTime.fromISO(program.intake.opens), 'days').days;
  const shift = (date: string) => DateTime.fromISO(date).plus({ days }).toISODate() ?? date;
  return {
    ...program,
    intake: { ...program.intake, opens: shift(program.intake.opens), closes: shift(program.intake.closes) },
    start: shift(program.start),
    midpoint: program.midpoint === 'halfway' ? 'halfway' : shift(program.midpoint),
    holidays: program.holidays.map(shift),
  };
}

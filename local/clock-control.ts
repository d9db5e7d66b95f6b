import { DateTime, type DurationLikeObject } from 'luxon';
import { invalidInput } from '../shared/errors.ts';
import type { VirtualClock } from './virtual-clock.ts';

/**
 * The dev stack's clock, driven by hand: `tandem clock` reads it, `tandem clock advance 2w`
 * moves it. Served on the local API under `/_local/clock` only: no deployed API has it.
 */
export const clockPath = '/_local/clock';

export interface ClockState {
  now: string;
  /** Virtual seconds per real second. */
  speed: number;
}

/** Amounts like `12h`, `3d`, `2w`, `1mo`, `30min`, or several (`1w 2d`). */
const units: Record<string, keyof DurationLikeObject> = {
  min: 'minutes',
  minute: 'minutes',
  minutes: 'minutes',
  h: 'hours',
  hour: 'hours',
  hours: 'hours',
  d: 'days',
  day: 'days',
  days: 'days',
  w: 'weeks',
  week: 'weeks',
  weeks: 'weeks',
  mo: 'months',
  month: 'months',
  months: 'months',
};
const term = /\s*(\d{1,4})\s*([a-z]+)\s*/y;
const isoDate = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * Where `advance` takes the clock from `now`: after an amount of time, or to a date (midnight
 * UTC) or an instant. Time only moves forward.
 */
export function advanceTarget(text: string, now: number): number {
  const input = text.trim().toLowerCase();
  const problem = (message: string) =>
    invalidInput(`Cannot move the clock by "${text}"`, [
      {
        path: 'advance',
        message,
        hint: 'write an amount and a unit — 12h, 3d, 2w, 1mo, 30min, or several: 1w 2d — or a date: 2027-03-01',
      },
    ]);
  if (isoDate.test(input)) {
    const target = DateTime.fromISO(input.toUpperCase(), { zone: 'UTC' });
    if (!target.isValid) throw problem('is not a valid date');
    if (target.toMillis() <= now)
      throw problem(`is not after the clock's time, ${new Date(now).toISOString()}: time only moves forward`);
    return target.toMillis();
  }
  const amount: DurationLikeObject = {};
  term.lastIndex = 0;
  while (term.lastIndex < input.length) {
    const start = term.lastIndex;
    const found = term.exec(input);
    if (!found || found.index !== start) throw problem('is not an amount of time');
    const unit = units[found[2] ?? ''];
    if (!unit)
      throw problem(
        found[2] === 'm'
          ? '"m" could be minutes or months: write min or mo'
          : `"${found[2]}" is not a unit of time`,
      );
    amount[unit] = (amount[unit] ?? 0) + Number(found[1]);
  }
  if (!Object.values(amount).some((value) => value > 0)) throw problem('moves the clock by nothing');
  return DateTime.fromMillis(now, { zone: 'UTC' }).plus(amount).toMillis();
}

/**
 * The clock's local API route: GET reads it, POST `{"advance": "2w"}` moves it (waiting
 * workflows whose time has come wake up at once). `onChange` hears of each move, to keep it.
 */
export function clockRoute(
  clock: VirtualClock,
  onChange: (state: ClockState) => Promise<void> = async () => {},
) {
  const state = (): ClockState => ({ now: new Date(clock.now()).toISOString(), speed: clock.speed });
  return async (method: string, body: string): Promise<{ status: number; body: unknown }> => {
    if (method === 'GET') return { status: 200, body: state() };
    if (method !== 'POST')
      return { status: 405, body: { error: { code: 'invalid_input', message: 'GET or POST' } } };
    let advance: unknown;
    try {
      advance = (JSON.parse(body || '{}') as { advance?: unknown }).advance;
    } catch {
      advance = undefined;
    }
    if (typeof advance !== 'string') {
      throw invalidInput('The request is not valid', [
        { path: 'advance', message: 'is required: how far to move the clock, e.g. {"advance": "2w"}' },
      ]);
    }
    const previous = state();
    clock.jumpTo(advanceTarget(advance, clock.now()));
    const now = state();
    await onChange(now);
    return { status: 200, body: { previous: previous.now, ...now } };
  };
}

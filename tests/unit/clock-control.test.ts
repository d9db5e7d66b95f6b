import { describe, expect, it } from 'vitest';
import { apiRoutes } from '../../functions/api/routes.ts';
import { advanceTarget, clockPath } from '../../local/clock-control.ts';
import { TandemError } from '../../shared/errors.ts';

const now = Date.parse('2027-01-31T09:00:00Z');
const at = (text: string) => new Date(advanceTarget(text, now)).toISOString();

describe('how far `tandem clock advance` moves the clock', () => {
  it('reads amounts as people write them', () => {
    expect(at('12h')).toBe('2027-01-31T21:00:00.000Z');
    expect(at('3d')).toBe('2027-02-03T09:00:00.000Z');
    expect(at('2w')).toBe('2027-02-14T09:00:00.000Z');
    expect(at('2 weeks')).toBe('2027-02-14T09:00:00.000Z');
    expect(at('30min')).toBe('2027-01-31T09:30:00.000Z');
    expect(at('1w 2d')).toBe('2027-02-09T09:00:00.000Z');
    expect(at(' 1W2D ')).toBe('2027-02-09T09:00:00.000Z');
  });

  it('counts months on the calendar: a month after 31 January is the end of February', () => {
    expect(at('1mo')).toBe('2027-02-28T09:00:00.000Z');
    expect(at('6 months')).toBe('2027-07-31T09:00:00.000Z');
  });

  it('moves to a date or an instant', () => {
    expect(at('2027-03-01')).toBe('2027-03-01T00:00:00.000Z');
    expect(at('2027-03-01T08:30:00Z')).toBe('2027-03-01T08:30:00.000Z');
  });

  it('refuses, saying why, what it cannot read, and going back', () => {
    const refusal = (text: string) => {
      try {
        advanceTarget(text, now);
      } catch (error) {
        expect(error).toBeInstanceOf(TandemError);
        return (error as TandemError).issues[0]?.message;
      }
      throw new Error(`"${text}" was accepted`);
    };
    expect(refusal('2x')).toBe('"x" is not a unit of time');
    expect(refusal('5m')).toBe('"m" could be minutes or months: write min or mo');
    expect(refusal('two weeks')).toBe('is not an amount of time');
    expect(refusal('2w and a bit')).toBe('is not an amount of time');
    expect(refusal('0d')).toBe('moves the clock by nothing');
    expect(refusal('')).toBe('moves the clock by nothing');
    expect(refusal('2027-01-01')).toMatch(/time only moves forward/);
    expect(refusal('2027-02-30')).toBe('is not a valid date');
  });

  // Linear time: its patterns are in the recheck regex-safety test; no timed assertion here.
  it('refuses a long hostile input with a plain error', () => {
    expect(() => advanceTarget(`${'1d'.repeat(20_000)}x`, now)).toThrow(TandemError);
    expect(() => advanceTarget(`${'1'.repeat(50_000)}`, now)).toThrow(TandemError);
  });
});

describe('the clock route', () => {
  it('is the local stack’s own: no row of the API’s route table, so never deployed', () => {
    expect(clockPath.startsWith('/_local/')).toBe(true);
    expect(apiRoutes.filter((route) => route.path.startsWith('/_local'))).toEqual([]);
  });
});

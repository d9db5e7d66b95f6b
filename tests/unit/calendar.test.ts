import { describe, expect, it } from 'vitest';
import { cohortCalendar, localMorning } from '../../shared/program/calendar.ts';
import { parseProgram } from '../../shared/program/load-program.ts';

const program = (extra = '') =>
  parseProgram(`
name: Calendar
organizers: [{ name: Ada, email: ada@example.org }]
sender: { address: mentoring@example.org }
timezone: Europe/Berlin
intake: { opens: 2027-01-04, closes: 2027-01-24 }
start: 2027-02-01
${extra}
`);

const weekday = (date: string) => new Date(`${date}T12:00:00Z`).getUTCDay();

describe('cohort calendar', () => {
  it('runs a biweekly 6-month cohort on working days, with a mid-point and a close-out', () => {
    const calendar = cohortCalendar(program());
    expect(calendar.introductions).toBe('2027-02-01');
    expect(calendar.end).toBe('2027-07-31');
    expect(calendar.rounds).toHaveLength(12);
    expect(calendar.rounds[0]).toMatchObject({ number: 1, date: '2027-02-15', kind: 'check-in' });
    for (const round of calendar.rounds) {
      expect([1, 2, 3, 4, 5]).toContain(weekday(round.date));
      expect([1, 2, 3, 4, 5]).toContain(weekday(round.nudgeDate));
      expect(round.nudgeDate > round.date && round.nudgeDate <= round.closesOn).toBe(true);
    }
    expect(calendar.rounds.at(-1)?.kind).toBe('closeout-survey');
    const midpoint = calendar.rounds.filter((r) => r.kind === 'midpoint-survey');
    expect(midpoint.map((r) => r.number)).toEqual([calendar.midpointRound]);
    expect((midpoint[0]?.date ?? '') >= '2027-05-01').toBe(true);
  });

  it('skips holidays and weekends', () => {
    const calendar = cohortCalendar(program('holidays: [2027-02-15, 2027-02-16]'));
    expect(calendar.rounds[0]?.date).toBe('2027-02-17');
  });

  it('moves a start on a weekend to the next working day', () => {
    const calendar = cohortCalendar({ ...program(), start: '2027-02-06' });
    expect(calendar.introductions).toBe('2027-02-08');
  });

  it('follows the cadence and the length', () => {
    expect(cohortCalendar({ ...program(), cadence: 'weekly' }).rounds).toHaveLength(25);
    const monthly = cohortCalendar({ ...program(), cadence: 'monthly', lengthMonths: 12 });
    expect(monthly.rounds).toHaveLength(11);
    expect(monthly.end).toBe('2028-01-31');
  });

  it('puts the mid-point survey in the round at a given mid-point date', () => {
    const calendar = cohortCalendar({ ...program(), midpoint: '2027-03-20' });
    expect(calendar.rounds.find((r) => r.kind === 'midpoint-survey')?.date).toBe('2027-03-29');
  });

  it('gives a one-round cohort a close-out and no mid-point survey', () => {
    const calendar = cohortCalendar({ ...program(), lengthMonths: 1, cadence: 'monthly' });
    expect(calendar.rounds.map((r) => r.kind)).toEqual(['closeout-survey']);
    expect(calendar.midpointRound).toBe(0);
  });

  it('finds 9:00 in each participant’s own time zone, daylight saving included', () => {
    expect(localMorning('2027-03-15', 'Asia/Tokyo').toISOString()).toBe('2027-03-15T00:00:00.000Z');
    expect(localMorning('2027-03-15', 'America/New_York').toISOString()).toBe('2027-03-15T13:00:00.000Z');
    expect(localMorning('2027-01-15', 'America/New_York').toISOString()).toBe('2027-01-15T14:00:00.000Z');
  });
});

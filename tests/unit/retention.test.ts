import { describe, expect, it } from 'vitest';
import type { Cohort } from '../../shared/cohorts/cohort.ts';
import { suppressionHash } from '../../shared/email/suppression.ts';
import { TandemError } from '../../shared/errors.ts';
import { noScheduleChanges } from '../../shared/program/calendar.ts';
import { parseProgram } from '../../shared/program/load-program.ts';
import { keptUntil, purgeDateOf } from '../../shared/use-cases/personal-data.ts';

const program = (extra = '') =>
  parseProgram(
    `
name: Retention
organizers: [{ name: Ada, email: ada@example.org }]
sender: { address: mentoring@example.org }
timezone: Europe/Berlin
intake: { opens: 2027-01-04, closes: 2027-01-24 }
start: 2027-02-01
${extra}
`,
    'program.yaml',
  );
const cohortOf = (extra = '', schedule = noScheduleChanges): Pick<Cohort, 'program' | 'schedule'> => ({
  program: program(extra),
  schedule,
});

describe('retentionDays', () => {
  it('keeps personal data 90 days after the cohort’s last day unless the program says otherwise', () => {
    expect(program().retentionDays).toBe(90);
    // A six-month cohort from 1 February ends on 31 July.
    expect(keptUntil(cohortOf())).toBe('2027-10-29');
    expect(keptUntil(cohortOf('retentionDays: 30'))).toBe('2027-08-30');
    // The purge runs at midnight after the last day kept, in the program's time zone.
    expect(purgeDateOf(cohortOf('retentionDays: 30') as Cohort).toISOString()).toBe(
      '2027-08-30T22:00:00.000Z',
    );
    expect(keptUntil(cohortOf('retentionDays: 0'))).toBe('2027-07-31');
  });

  it('counts from the cohort’s real last day: an extension or an early end moves it', () => {
    // Four weeks more: the last day is 28 August. Ended early on 5 April: the close-out runs a week, to 12 April.
    expect(keptUntil(cohortOf('', { ...noScheduleChanges, extensionWeeks: 4 }))).toBe('2027-11-26');
    expect(keptUntil(cohortOf('', { ...noScheduleChanges, endedOn: '2027-04-05' }))).toBe('2027-07-11');
  });

  it('refuses what is not a whole number of days from 0 to 730, saying why', () => {
    for (const [value, message] of [
      ['-1', 'must be 0 or more: 0 purges the personal data as soon as the cohort closes'],
      ['731', 'must be at most 730 days: personal data is kept no longer than the program needs it'],
      ['1.5', 'must be a whole number of days from 0 to 730'],
      ['ninety', 'must be a whole number of days from 0 to 730'],
    ]) {
      try {
        program(`retentionDays: ${value}`);
        throw new Error(`retentionDays: ${value} was accepted`);
      } catch (error) {
        expect(error).toBeInstanceOf(TandemError);
        const issue = (error as TandemError).issues.find((i) => i.path === 'retentionDays');
        expect(issue?.message, value).toBe(message);
        expect(issue?.hint).toContain('export first with `tandem export`');
      }
    }
  });
});

describe('the suppression list', () => {
  it('keeps one hash per address, however it is written, and never the address', () => {
    const hash = suppressionHash('Ana.Silva@Example.org ');
    expect(hash).toBe(suppressionHash('ana.silva@example.org'));
    expect(hash).not.toBe(suppressionHash('ana.silva@example.com'));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

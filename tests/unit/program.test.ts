import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TandemError } from '../../shared/errors.ts';
import { parseProgram } from '../../shared/program/load-program.ts';
import { shiftProgram } from '../../shared/program/shift-program.ts';

const minimal = `
name: Test Program
organizers:
  - name: Ada
    email: ada@example.org
sender:
  address: mentoring@example.org
intake:
  opens: 2027-01-04
  closes: 2027-01-24
start: 2027-02-01
`;

function problems(text: string) {
  try {
    parseProgram(text, 'program.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(TandemError);
    return error as TandemError;
  }
  throw new Error('expected the program to be refused');
}

describe('program file', () => {
  it('accepts the shipped example', () => {
    const program = parseProgram(readFileSync('examples/program.yaml', 'utf8'));
    expect(program.id).toBe('data-careers-spring-2027');
    expect(program.timezone).toBe('Europe/Berlin');
    expect(program.exclusions).toEqual(['same-organization']);
  });

  it('fills in the defaults that keep a cohort light and finite', () => {
    const program = parseProgram(minimal);
    expect(program).toMatchObject({
      lengthMonths: 6,
      cadence: 'biweekly',
      midpoint: 'halfway',
      mentorCapacity: 2,
      timezone: 'UTC',
      matching: {
        objective: 'participation',
        weights: { topics: 45, stepsAhead: 30, timezone: 15, language: 10 },
        idealLead: { min: 2, max: 6 },
      },
    });
  });

  it('normalizes organizer and sender emails', () => {
    const program = parseProgram(minimal.replace('ada@example.org', ' Ada@Example.ORG '));
    expect(program.organizers[0]?.email).toBe('ada@example.org');
  });

  it('reads JSON as well as YAML', () => {
    const json = JSON.stringify(parseProgram(minimal));
    expect(parseProgram(json).name).toBe('Test Program');
  });

  it('reports every problem at once, each with its line, path and a hint', () => {
    const error = problems(`
name: Broken
organizers:
  - name: Ada
    email: not-an-email
sender:
  address: mentoring@example.org
intake:
  opens: 2027-01-24
  closes: 2027-01-04
start: next week
lengthMonths: 18
cadence: daily
mentorCapacity: 9
timezone: Mars/Olympus
`);
    const byPath = Object.fromEntries(error.issues.map((issue) => [issue.path, issue]));
    expect(Object.keys(byPath).sort()).toEqual(
      [
        'cadence',
        'intake.closes',
        'lengthMonths',
        'mentorCapacity',
        'organizers[0].email',
        'start',
        'timezone',
      ].sort(),
    );
    expect(byPath['organizers[0].email']).toMatchObject({ line: 5, message: 'is not a valid email address' });
    expect(byPath.lengthMonths).toMatchObject({
      line: 12,
      message: 'must be at most 12 months: cohorts are finite',
    });
    expect(byPath.cadence?.hint).toMatch(/biweekly/);
    expect(byPath.timezone?.hint).toMatch(/IANA/);
    expect(byPath['intake.closes']?.message).toBe('must be after intake.opens');
    expect(error.message).toBe('program.yaml has 7 problems');
  });

  it("checks an email template's syntax, by the template's path and line", () => {
    const error = problems(`${minimal}email:
  templates:
    check-in.mentee:
      subject: "Round {{round.number}}: how are things with {{partner.firstName}}?"
      body: "Hello {{#if round.isFirst}}there"
`);
    expect(error.issues).toEqual([
      expect.objectContaining({
        path: 'email.templates.check-in.mentee.body',
        line: 16,
        message: expect.stringMatching(/^is not a valid template: /),
      }),
    ]);
  });

  it('reports a problem under a key with dots in it on its own line', () => {
    const error = problems(`${minimal}matching:
  synonyms:
    node.js:
      - nodejs
      - ""
`);
    expect(error.issues).toEqual([
      expect.objectContaining({ path: 'matching.synonyms.node.js[1]', line: 16 }),
    ]);
  });

  it('reports it on its own line however many dots the key holds, and whatever lies between them', () => {
    const error = problems(`${minimal}matching:
  synonyms:
    a.b.c.d.e.2:
      - ""
`);
    expect(error.issues).toEqual([
      expect.objectContaining({ path: 'matching.synonyms.a.b.c.d.e.2[0]', line: 15 }),
    ]);
  });

  it('suggests the intended key for a misspelt one', () => {
    const error = problems(`${minimal}\ncadense: weekly\n`);
    expect(error.issues).toEqual([
      expect.objectContaining({
        path: 'cadense',
        message: 'is not a known setting',
        hint: 'did you mean "cadence"?',
      }),
    ]);
  });

  it('names the missing required settings', () => {
    const error = problems('name: Only a name\n');
    expect(error.issues.map((issue) => issue.path).sort()).toEqual([
      'intake',
      'organizers',
      'sender',
      'start',
    ]);
  });

  it('refuses a midpoint outside the cohort and a start before intake closes', () => {
    const error = problems(
      `${minimal.replace('start: 2027-02-01', 'start: 2027-01-10')}\nmidpoint: 2028-01-01\n`,
    );
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(['midpoint', 'start']);
  });

  it('gives the engagement ladder its defaults, and refuses rungs out of order', () => {
    expect(parseProgram(minimal).engagement).toEqual({
      askPartnerAfter: 2,
      atRiskAfter: 3,
      closeOfferAfter: 4,
      closeAfter: 5,
      pauseDays: 14,
    });
    const error = problems(
      `${minimal}engagement:\n  askPartnerAfter: 3\n  atRiskAfter: 2\n  closeAfter: 4\n  pauseDays: 0\n  nudgeAfter: 1\n`,
    );
    expect(error.issues.map((issue) => [issue.path, issue.message])).toEqual(
      expect.arrayContaining([
        ['engagement.atRiskAfter', 'must be at least askPartnerAfter (3): the rungs come in order'],
        [
          'engagement.closeAfter',
          'must be more than closeOfferAfter (4): the silent side gets a check-in to answer the offer',
        ],
        ['engagement.pauseDays', 'must be at least 1 day'],
      ]),
    );
    expect(error.issues.some((issue) => issue.path === 'engagement.nudgeAfter')).toBe(true);
  });

  it('explains YAML syntax errors with their line', () => {
    const error = problems('name: [unclosed\norganizers: x\n');
    expect(error.message).toMatch(/not valid YAML/);
    expect(error.issues[0]?.line).toBeGreaterThan(0);
  });

  it('refuses an empty file', () => {
    expect(problems('').message).toMatch(/must be a mapping/);
  });
});

describe('shiftProgram', () => {
  it('moves every date by the same number of days', () => {
    const program = parseProgram(`${minimal}\nholidays: [2027-03-01]\nmidpoint: 2027-05-01\n`);
    const shifted = shiftProgram(program, '2027-01-14');
    expect(shifted.intake).toMatchObject({ opens: '2027-01-14', closes: '2027-02-03' });
    expect(shifted.intake.limits).toEqual(program.intake.limits);
    expect(shifted.start).toBe('2027-02-11');
    expect(shifted.midpoint).toBe('2027-05-11');
    expect(shifted.holidays).toEqual(['2027-03-11']);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applicationCsvColumns,
  applicationRequestSchema,
  applicationSchema,
} from '../../shared/applications/application-schema.ts';
import { applicationsCsv, parseApplicationsCsv } from '../../shared/applications/applications-csv.ts';
import { RowChecker } from '../../shared/applications/row-checker.ts';
import { TandemError } from '../../shared/errors.ts';

const header =
  'email,name,role,organization,years_experience,topics,timezone,languages,capacity,preferred,avoid';

const mentee = {
  email: 'tom@example.com',
  name: 'Tom',
  role: 'mentee',
  years_experience: 2,
  topics: ['data engineering'],
  timezone: 'Europe/London',
};

describe('application schema', () => {
  it('normalizes emails, roles, lists and languages', () => {
    const application = applicationSchema.parse({
      ...mentee,
      email: '  Tom@Example.COM ',
      role: ' Mentee ',
      topics: 'data engineering; career change ;; Data Engineering',
      languages: 'English;German',
      preferred: 'Amara@Example.com',
      years_experience: '2',
    });
    expect(application).toMatchObject({
      email: 'tom@example.com',
      role: 'mentee',
      topics: ['data engineering', 'career change'],
      languages: ['english', 'german'],
      preferred: ['amara@example.com'],
      avoid: [],
      years_experience: 2,
    });
  });

  it('canonicalizes time zone aliases', () => {
    expect(applicationSchema.parse({ ...mentee, timezone: 'US/Eastern' }).timezone).toBe('America/New_York');
  });

  it('resolves every time zone the same way, the first time, the next and past its memory of them', () => {
    const zoneOf = (timezone: string) => {
      const result = applicationSchema.safeParse({ ...mentee, timezone });
      return result.success ? result.data.timezone : result.error.issues[0]?.message;
    };
    const expected = {
      ' europe/berlin ': 'Europe/Berlin',
      'US/Pacific': 'America/Los_Angeles',
      utc: 'UTC',
      'Mars/Olympus_Mons': '"Mars/Olympus_Mons" is not an IANA time zone',
    };
    const check = () => {
      for (const [input, zone] of Object.entries(expected)) expect(zoneOf(input), input).toBe(zone);
    };
    check();
    check();
    // Thousands of distinct made-up zones (untrusted input) fill what it remembers.
    for (let k = 0; k < 3000; k++) expect(zoneOf(`Nowhere/Place_${k}`)).toMatch(/is not an IANA time zone/);
    check();
    expect(zoneOf('America/Sao_Paulo')).toBe('America/Sao_Paulo');
  });

  it('gives capacity to mentors only', () => {
    expect(applicationSchema.parse({ ...mentee, role: 'mentor', capacity: '3' }).capacity).toBe(3);
    const result = applicationSchema.safeParse({ ...mentee, capacity: 2 });
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['capacity', 'is only for mentors'],
    ]);
  });

  it('refuses naming oneself and preferring someone one avoids', () => {
    const result = applicationSchema.safeParse({
      ...mentee,
      preferred: ['tom@example.com', 'x@example.com'],
      avoid: ['x@example.com'],
    });
    expect(result.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual([
      'preferred',
      'preferred',
    ]);
  });

  it('requires explicit consent in an API request and rejects unknown fields', () => {
    const missing = applicationRequestSchema.safeParse(mentee);
    expect(missing.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['consent']);
    const typo = applicationRequestSchema.safeParse({ ...mentee, consent: true, years_exp: 3 });
    expect(typo.error?.issues[0]?.code).toBe('unrecognized_keys');
    expect(applicationRequestSchema.parse({ ...mentee, consent: true }).consent).toBe(true);
  });
});

describe('row checker', () => {
  // Cells as a form export has them: each column draws from a few values that recur, so
  // rows reuse what the checker found before. Most are good, so that whole rows are too and
  // the rules across columns come into play (a mentee's capacity, preferring someone avoided,
  // oneself); a few break a rule of their own.
  const cells: Record<
    (typeof applicationCsvColumns)[number],
    { good: (string | undefined)[]; bad: string[] }
  > = {
    email: { good: ['ana@example.com', 'Bo@Example.com ', 'cy@example.org'], bad: ['not-an-email', ''] },
    name: { good: ['Ana', '  Bo  '], bad: ['', 'x'.repeat(121)] },
    role: { good: ['mentor', 'Mentee ', 'mentee'], bad: ['coach', ''] },
    organization: { good: ['', 'Northwind', ' Contoso ', undefined], bad: ['o'.repeat(121)] },
    years_experience: { good: ['0', '4', ' 12.5 '], bad: ['-1', '61', 'four', ''] },
    topics: {
      good: ['data engineering', 'SQL; sql; career change'],
      bad: [';', '', `${'t'.repeat(81)};x`, 'a;b;c;d;e;f;g;h;i;j;k'],
    },
    timezone: {
      good: ['Europe/London', 'UTC', 'Asia/Calcutta', ' Europe/Berlin '],
      bad: ['Nowhere/City', ''],
    },
    languages: { good: ['English', 'english; German', '', undefined], bad: ['l'.repeat(41)] },
    capacity: { good: ['', '1', '3', undefined], bad: ['0', '6', '2.5', 'two'] },
    preferred: { good: ['', 'ana@example.com', 'cy@example.org; ana@example.com', undefined], bad: ['bad'] },
    avoid: { good: ['', 'cy@example.org', 'Bo@Example.com', undefined], bad: ['x@'] },
  };
  const row = fc.record(
    Object.fromEntries(
      applicationCsvColumns.map((column) => [
        column,
        fc.oneof(
          { weight: 12, arbitrary: fc.constantFrom(...cells[column].good) },
          { weight: 1, arbitrary: fc.constantFrom(...cells[column].bad) },
        ),
      ]),
    ) as { [C in keyof typeof cells]: fc.Arbitrary<string | undefined> },
  );

  it('gives what the whole schema gives, row after row: the application, or the same issues in the same order', () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 40 }), (rows) => {
        const checker = new RowChecker();
        for (const fields of rows) {
          expect(checker.check(fields)).toStrictEqual(applicationSchema.safeParse(fields));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('hands no two applications the same list', () => {
    const checker = new RowChecker();
    const fields = {
      email: 'ana@example.com',
      name: 'Ana',
      role: 'mentee',
      years_experience: '1',
      topics: 'SQL',
      timezone: 'UTC',
    };
    const first = checker.check(fields);
    const second = checker.check({ ...fields, email: 'bo@example.com' });
    expect(first.data?.topics).toEqual(second.data?.topics);
    expect(first.data?.topics).not.toBe(second.data?.topics);
  });
});

describe('applications CSV', () => {
  it('writes applications as the CSV it reads back, lists, commas and quotes included', () => {
    const written = [
      applicationSchema.parse({
        ...mentee,
        name: 'Tom "TJ" Hughes',
        organization: 'Fabrikam, Ltd.',
        topics: ['data engineering', 'career change'],
        languages: ['English', 'German'],
        preferred: ['amara@example.com'],
      }),
      applicationSchema.parse({ ...mentee, email: 'amara@example.com', role: 'mentor', capacity: 2 }),
    ];
    const { rows } = parseApplicationsCsv(applicationsCsv(written));
    expect(rows.map((row) => row.issues)).toEqual([[], []]);
    expect(rows.map((row) => row.application)).toEqual(written);
  });

  it('reads good rows and reports bad ones by the line they start on', () => {
    const csv = [
      header,
      'amara@example.com,Amara,mentor,Northwind,9,"data engineering;SQL",Europe/London,English,2,,',
      'bad-email,Bob,coach,,x,,Nowhere/City,,,,',
      '"tom@example.com","Tom ""T"" Hughes",mentee,Contoso,2,"career change;',
      'data engineering",Europe/London,English,,amara@example.com,',
      'ana@example.com,Ana,mentee,,1,dashboards,Europe/Lisbon,,3,,',
    ].join('\n');
    const { rows } = parseApplicationsCsv(csv);
    expect(rows.map((row) => row.line)).toEqual([2, 3, 4, 6]);
    expect(rows[0]?.application?.capacity).toBe(2);
    expect(rows[1]?.issues.map((issue) => issue.path).sort()).toEqual(
      ['email', 'role', 'timezone', 'topics', 'years_experience'].sort(),
    );
    expect(rows[1]?.issues.every((issue) => issue.line === 3)).toBe(true);
    expect(rows[2]?.application).toMatchObject({
      name: 'Tom "T" Hughes',
      topics: ['career change', 'data engineering'],
    });
    expect(rows[3]?.issues).toEqual([
      expect.objectContaining({ path: 'capacity', message: 'is only for mentors', line: 6 }),
    ]);
  });

  it('accepts a header in any case and order, and ignores extra columns', () => {
    const csv =
      'Timestamp,Name,EMAIL,Role,Years_Experience,Topics,Timezone\n2027-01-05,Ana,ana@example.com,mentee,1,dashboards,UTC\n';
    const { rows, ignoredColumns } = parseApplicationsCsv(csv);
    expect(ignoredColumns).toEqual(['timestamp']);
    expect(rows[0]?.application?.email).toBe('ana@example.com');
  });

  it('refuses a file without the required columns, showing the expected header', () => {
    try {
      parseApplicationsCsv('email,name\nana@example.com,Ana\n');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TandemError);
      expect((error as TandemError).message).toBe(
        'the CSV file is missing required columns: role, years_experience, topics, timezone',
      );
      expect((error as TandemError).issues[0]?.hint).toContain(header);
    }
  });

  it('reports a row with too many fields instead of misreading it', () => {
    const { rows } = parseApplicationsCsv(
      `${header}\nana@example.com,Ana,mentee,,1,dashboards,UTC,,,,,extra\n`,
    );
    expect(rows[0]?.issues[0]?.message).toMatch(/has 12 fields but the header has 11/);
    // The issue itself carries the line, as every other row issue does: `tandem match` and the
    // import list issues without their rows.
    expect(rows[0]?.issues[0]?.line).toBe(2);
  });

  it('refuses a file whose quotes cannot be read, by the line of the row they are in', () => {
    const good = 'ana@example.com,Ana,mentee,,1,dashboards,UTC,,,,';
    const cases = [
      // Opened and never closed: every line after it would be one value.
      [`${header}\n${good}\nbo@example.com,"Bo,mentee,,1,dashboards,UTC,,,,\n${good}\n`, 3, 'never closed'],
      // Text after the closing quote.
      [
        `${header}\r\n${good}\r\n\r\n${good}\r\ncy@example.com,"Cy" Li,mentee,,1,dashboards,UTC,,,,\r\n`,
        5,
        'after its closing quote',
      ],
    ] as const;
    for (const [csv, line, message] of cases) {
      try {
        parseApplicationsCsv(csv, 'apps.csv');
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(TandemError);
        expect((error as TandemError).message).toBe('apps.csv is not a readable CSV file');
        expect((error as TandemError).issues[0]).toMatchObject({
          line,
          message: expect.stringContaining(message),
        });
        expect((error as TandemError).issues[0]?.hint).toContain('double quotes');
      }
    }
  });

  it("reads a spreadsheet's export: byte order mark, CRLF, blank lines, a stray quote inside a value", () => {
    const csv = `\uFEFF${header}\r\n\r\nana@example.com,Ana 5" tall,mentee,,1,dashboards,UTC,,,,\r\n\r\n\r\nbo@example.com,Bo,mentee,,1,"dash\r\nboards",UTC,,,,\r\ncy@example.com,Cy,mentee,,1,dashboards,UTC,,,,`;
    const { rows, ignoredColumns } = parseApplicationsCsv(csv);
    expect(ignoredColumns).toEqual([]);
    expect(rows.map((row) => row.line)).toEqual([3, 6, 8]);
    expect(rows.map((row) => row.issues)).toEqual([[], [], []]);
    expect(rows[0]?.application?.name).toBe('Ana 5" tall');
    expect(rows[1]?.application?.topics).toEqual(['dash\r\nboards']);
  });

  it('gives every row the line it starts on, however lines break and values span them', () => {
    // Rows of a good application whose name may hold line breaks (quoted), separated by blank
    // lines or not, with LF or CRLF: the oracle counts the lines as the file is written.
    const name = fc.array(fc.constantFrom('Ana', 'Bo', 'x', ''), { minLength: 1, maxLength: 3 });
    const spec = fc.record({
      crlf: fc.boolean(),
      rows: fc.array(fc.record({ nameLines: name, blankBefore: fc.nat(2) }), { minLength: 1, maxLength: 12 }),
      finalBreak: fc.boolean(),
    });
    fc.assert(
      fc.property(spec, ({ crlf, rows, finalBreak }) => {
        const eol = crlf ? '\r\n' : '\n';
        let text = header;
        let line = 1;
        const expected: number[] = [];
        rows.forEach(({ nameLines, blankBefore }, r) => {
          text += eol.repeat(1 + blankBefore);
          line += 1 + blankBefore;
          expected.push(line);
          text += `p${r}@example.com,"N ${nameLines.join(eol)}",mentee,,1,dashboards,UTC,,,,`;
          line += nameLines.length - 1;
        });
        if (finalBreak) text += eol;
        const read = parseApplicationsCsv(text).rows;
        expect(read.map((row) => row.line)).toEqual(expected);
        expect(read.map((row) => row.application?.email)).toEqual(rows.map((_, r) => `p${r}@example.com`));
      }),
      { numRuns: 200 },
    );
  });

  it('honours an optional consent column', () => {
    const csv = `${header},consent\nana@example.com,Ana,mentee,,1,dashboards,UTC,,,,,yes\nbo@example.com,Bo,mentee,,1,dashboards,UTC,,,,,no\n`;
    const { rows } = parseApplicationsCsv(csv);
    expect(rows[0]?.consent).toBe(true);
    expect(rows[1]?.application).toBeUndefined();
    expect(rows[1]?.issues[0]?.path).toBe('consent');
  });
});

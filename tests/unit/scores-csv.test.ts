import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scoresCsv, scoresCsvColumns } from '../../cli/commands/match.ts';
import { defaultMatchingProgram } from '../../shared/matching/matching-program.ts';
import { prepareMatching } from '../../shared/matching/run-matching.ts';
import { person } from '../support/applications.ts';

/** Email-like values with the characters a CSV field must quote (prepareMatching does not check emails). */
const oddEmail = fc
  .tuple(fc.stringMatching(/^[a-z",\n ]{1,6}$/), fc.integer({ min: 0, max: 1e6 }))
  .map(([local, n]) => `${local}${n}@example.org`);

describe('tandem match --scores-out', () => {
  it('writes what csv-stringify writes row by row: every eligible pair, the same quoting', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(oddEmail, { minLength: 2, maxLength: 90 }),
        fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 90, maxLength: 90 }),
        (emails, years) => {
          const applications = emails.map((email, x) =>
            person({ email, role: x % 3 === 0 ? 'mentor' : 'mentee', years_experience: years[x] ?? 1 }),
          );
          const prepared = prepareMatching(applications, defaultMatchingProgram('2027-02-01'));
          const { model, table } = prepared;
          const rows: (string | number)[][] = [];
          for (let i = 0; i < table.mentees; i++) {
            for (let k = table.rowStart[i] ?? 0; k < (table.rowStart[i + 1] ?? 0); k++) {
              rows.push([
                model.mentees[i]?.email ?? '',
                model.mentors[table.mentor[k] ?? 0]?.email ?? '',
                (table.score[k] ?? 0) / 10,
              ]);
            }
          }
          const expected = stringify(rows, { header: true, columns: [...scoresCsvColumns] });
          expect([...scoresCsv(prepared)].join('')).toBe(expected);
        },
      ),
      { numRuns: 100 },
    );
  });
});

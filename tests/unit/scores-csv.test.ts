import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scoresCsv, scoresCsvColumns } from '../../cli/commands/match.ts';
import { defaultMatchingProgram } from '../../shared/matching/matching-program.ts';
import { scoreColumn } from '../../shared/matching/pair-scores.ts';
import { prepareMatching } from '../../shared/matching/run-matching.ts';
import { scoreAllPairs } from '../../shared/matching/scoring.ts';
import { person } from '../support/applications.ts';

/** Email-like values with the characters a CSV field must quote (prepareMatching does not check emails). */
const oddEmail = fc
  .tuple(fc.stringMatching(/^[a-z",\n ]{1,6}$/), fc.integer({ min: 0, max: 1e6 }))
  .map(([local, n]) => `${local}${n}@example.org`);

describe('tandem match --scores-out', () => {
  // People alike (most here: only their years differ) are scored as groups (alike-people.ts):
  // the file must still hold every pair, as scoring each pair on its own gives it.
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
          const { model } = prepared;
          const table = scoreAllPairs(model);
          const score = scoreColumn(table);
          const rows: string[][] = [];
          for (let i = 0; i < table.mentees; i++) {
            for (let k = table.rowStart[i] ?? 0; k < (table.rowStart[i + 1] ?? 0); k++) {
              rows.push([
                model.mentees[i]?.email ?? '',
                model.mentors[table.mentor[k] ?? 0]?.email ?? '',
                String((score[k] ?? 0) / 10),
              ]);
            }
          }
          const written = [...scoresCsv(prepared)].join('');
          const records: string[][] = parse(written, { from_line: 2 });
          expect(stringify(records, { header: true, columns: [...scoresCsvColumns] })).toBe(written);
          // Equal scores may come in any order within a mentee's row.
          const byPair = (a: string[], b: string[]) => (a.join('\0') < b.join('\0') ? -1 : 1);
          expect(records.sort(byPair)).toEqual(rows.sort(byPair));
        },
      ),
      { numRuns: 100 },
    );
  });
});

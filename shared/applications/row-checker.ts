import type { z } from 'zod';
import {
  type Application,
  applicationCsvColumns,
  applicationFields,
  applicationSchema,
  crossFieldIssues,
} from './application-schema.ts';

type Column = (typeof applicationCsvColumns)[number];
type FieldResult = z.ZodSafeParseResult<unknown>;

/**
 * Columns checked once per distinct value. An intake export repeats most of its columns from
 * row to row (role, time zone, languages, capacity, organization, empty lists), and checking
 * each value with zod was over half of reading a 20,000-row file (`tandem match`). Email and
 * name are nearly always new, so they are not kept.
 */
const repeatingColumns = applicationCsvColumns.filter((c) => c !== 'email' && c !== 'name');
/** Distinct values kept per column: a file's memory is bounded by its rows anyway, this bounds it tighter. */
const keptPerColumn = 4096;

/**
 * Checks the rows of one file with `applicationSchema`, and gives exactly its result, row for
 * row: each field is checked on its own (the schema's field checks depend on nothing else),
 * a value seen before in the same column reuses its result, then the rules across fields run.
 * A row with any problem is checked again by the whole schema, so its issues are the
 * schema's own, in its order.
 */
export class RowChecker {
  /** Per repeating column, the results of the values seen so far. */
  private readonly seen = new Map<Column, Map<unknown, FieldResult>>(
    repeatingColumns.map((column) => [column, new Map()]),
  );

  check(fields: Readonly<Partial<Record<Column, unknown>>>): z.ZodSafeParseResult<Application> {
    const application: Record<string, unknown> = {};
    for (const column of applicationCsvColumns) {
      const result = this.field(column, fields[column]);
      if (!result.success) return applicationSchema.safeParse(fields);
      // Lists are copied: no two applications share one.
      application[column] = Array.isArray(result.data) ? [...result.data] : result.data;
    }
    // A plain call, not a zod schema: a tenth of reading a 27,000-row file went to wrapping it.
    if (crossFieldIssues(application).length > 0) return applicationSchema.safeParse(fields);
    return { success: true, data: application as Application };
  }

  private field(column: Column, value: unknown): FieldResult {
    const schema = applicationFields.shape[column] as z.ZodType;
    const known = this.seen.get(column);
    if (!known) return schema.safeParse(value);
    let result = known.get(value);
    if (!result) {
      result = schema.safeParse(value);
      if (known.size < keptPerColumn) known.set(value, result);
    }
    return result;
  }
}

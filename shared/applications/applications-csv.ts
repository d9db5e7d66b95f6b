import { type Options, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { type FieldIssue, invalidInput } from '../errors.ts';
import { issuesFromZod } from '../validation/zod-issues.ts';
import { type Application, applicationCsvColumns, applicationHints } from './application-schema.ts';
import { RowChecker } from './row-checker.ts';

/**
 * Applications as a CSV in the intake format, the one `parseApplicationsCsv` reads: the intake
 * header, lists written `a;b`, what is absent left empty.
 */
export function applicationsCsv(
  applications: readonly Partial<Record<(typeof applicationCsvColumns)[number], unknown>>[],
): string {
  const cell = (value: unknown) => (Array.isArray(value) ? value.join(';') : (value ?? ''));
  return stringify(
    applications.map((application) => applicationCsvColumns.map((column) => cell(application[column]))),
    { header: true, columns: [...applicationCsvColumns] },
  );
}

/** Columns a row cannot do without; the others may be absent from the header. */
const requiredColumns = ['email', 'name', 'role', 'years_experience', 'topics', 'timezone'] as const;
/** Optional extra column: an explicit per-row answer from the form tool's consent question. */
const consentColumn = 'consent';

export interface CsvRow {
  /** 1-based line in the file where the row starts. */
  line: number;
  application?: Application;
  /** The row's own consent answer, when the file has a consent column. */
  consent?: boolean;
  issues: FieldIssue[];
}

export interface ParsedApplicationsCsv {
  rows: CsvRow[];
  ignoredColumns: string[];
}

const yes = new Set(['yes', 'y', 'true', '1', 'x', 'agreed', 'i agree']);
const no = new Set(['no', 'n', 'false', '0']);

/**
 * Reads a CSV export of applications. File-level problems (not CSV, missing columns) throw;
 * row-level problems are returned per row with the row's line number, so an import can keep
 * the good rows.
 */
export function parseApplicationsCsv(text: string, source = 'the CSV file'): ParsedApplicationsCsv {
  const header = firstLineColumns(text);
  const missing = requiredColumns.filter((column) => !header.includes(column));
  let rows: CsvRow[];
  const columnIndex = new Map(header.map((column, index) => [column, index]));
  const checker = new RowChecker();
  let headerRead = false;
  try {
    // Records are read as arrays (fields found by the header's index, a later column of the
    // same name winning), each checked as it is read, and only its result kept: holding every
    // raw record (and its info) until the end took about 100 MB more heap for 19,000 rows.
    const onRecord = ({ record, info }: { record: string[]; info: CsvInfo }): CsvRow | null => {
      if (!headerRead) {
        headerRead = true;
        return null;
      }
      return missing.length > 0 ? null : rowOf(record, info, columnIndex, header.length, checker);
    };
    // csv-parse's types do not describe records read with `info: true`, nor records turned into
    // something else than arrays without `columns`.
    rows = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      on_record: onRecord as unknown as Options['on_record'],
    }) as unknown as CsvRow[];
  } catch (error) {
    throw invalidInput(`${source} is not a readable CSV file`, [
      {
        path: '',
        line: (error as { lines?: number }).lines,
        message: (error as Error).message,
        hint: 'save the export as CSV (comma-separated, UTF-8) with a header row',
      },
    ]);
  }
  if (missing.length > 0) {
    throw invalidInput(`${source} is missing required columns: ${missing.join(', ')}`, [
      {
        path: '',
        line: 1,
        message: `the header row has: ${header.join(', ') || '(nothing)'}`,
        hint: `use this header row: ${applicationCsvColumns.join(',')}`,
      },
    ]);
  }
  const known = new Set<string>([...applicationCsvColumns, consentColumn]);
  const ignoredColumns = header.filter((column) => column !== '' && !known.has(column));
  return { rows, ignoredColumns };
}

/** What csv-parse tells about a record (`info: true`). */
interface CsvInfo {
  /** The line the record ends on. */
  lines: number;
  error?: unknown;
}

/** One record of the file, checked: its application, or what is wrong with it, by line. */
function rowOf(
  record: readonly string[],
  info: CsvInfo,
  columnIndex: ReadonlyMap<string, number>,
  headerLength: number,
  checker: RowChecker,
): CsvRow {
  const line = info.lines - newlinesIn(record);
  if (info.error) {
    const fields = record.length;
    return {
      line,
      issues: [
        {
          path: '',
          line,
          message: `has ${fields} fields but the header has ${headerLength}`,
          hint: 'quote values that contain commas, e.g. "data engineering, ML"',
        },
      ],
    };
  }
  const cell = (column: string) => {
    const index = columnIndex.get(column);
    return index === undefined ? undefined : record[index];
  };
  const fields = Object.fromEntries(applicationCsvColumns.map((column) => [column, cell(column)])) as Record<
    (typeof applicationCsvColumns)[number],
    string | undefined
  >;
  const result = checker.check(fields);
  const issues = result.success ? [] : issuesFromZod(result.error, applicationHints);
  const consent = readConsent(cell(consentColumn));
  if (consent === 'invalid') {
    issues.push({
      path: consentColumn,
      message: 'must be yes or no',
      hint: 'leave it empty if the form had no such question',
    });
  } else if (consent === false) {
    issues.push({
      path: consentColumn,
      message: 'is "no": this applicant did not agree to receive program emails',
      hint: 'remove the row, or ask the applicant to apply again and agree',
    });
  }
  const row: CsvRow = { line, issues: issues.map((issue) => ({ ...issue, line })) };
  if (result.success && issues.length === 0) row.application = result.data;
  if (typeof consent === 'boolean') row.consent = consent;
  return row;
}

/** Line breaks inside the record's quoted fields: the record starts that many lines before it ends. */
function newlinesIn(record: readonly string[]): number {
  let count = 0;
  for (const value of record) {
    for (let at = value.indexOf('\n'); at >= 0; at = value.indexOf('\n', at + 1)) count++;
  }
  return count;
}

function readConsent(value: string | undefined): boolean | 'invalid' | undefined {
  const answer = value?.trim().toLowerCase();
  if (!answer) return undefined;
  if (yes.has(answer)) return true;
  if (no.has(answer)) return false;
  return 'invalid';
}

function firstLineColumns(text: string): string[] {
  const rows: string[][] = parse(text, { bom: true, to_line: 1, relax_column_count: true });
  return (rows[0] ?? []).map((name) => name.trim().toLowerCase());
}

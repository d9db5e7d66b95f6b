import { stringify } from 'csv-stringify/sync';
import Papa from 'papaparse';
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
  // A file with no header row has none of the columns.
  let header: string[] = [];
  let missing: readonly string[] = requiredColumns;
  let layout: RecordLayout | undefined;
  const rows: CsvRow[] = [];
  const checker = new RowChecker();
  // Each record is checked as it is read, and only its result kept: holding every raw record
  // until the end took about 100 MB more heap for 19,000 rows.
  eachRecord(text, source, (record, line) => {
    if (layout) {
      rows.push(rowOf(record, line, layout, checker));
      return true;
    }
    header = record.map((name) => name.trim().toLowerCase());
    missing = requiredColumns.filter((column) => !header.includes(column));
    if (missing.length > 0) return false;
    layout = recordLayout(header);
    return true;
  });
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

/**
 * Hands `each` every record of a CSV text (comma-separated; a leading byte order mark and
 * empty lines skipped) with the line it starts on, until `each` returns false. A quote left
 * open, or text after a closing quote, makes the file unreadable: that throws, by line.
 */
function eachRecord(text: string, source: string, each: (record: string[], line: number) => boolean): void {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // Where the last record ended, and the line that is on.
  let counted = 0;
  let line = 1;
  Papa.parse<string[]>(body, {
    delimiter: ',',
    skipEmptyLines: true,
    step: ({ data, errors, meta }, parser) => {
      // The record starts after the empty lines papaparse skipped.
      let first = line;
      for (let at = counted; body.startsWith(meta.linebreak, at); at += meta.linebreak.length) first++;
      const lineBreak = meta.linebreak === '\r' ? '\r' : '\n';
      for (
        let at = body.indexOf(lineBreak, counted);
        at >= 0 && at < meta.cursor;
        at = body.indexOf(lineBreak, at + 1)
      ) {
        line++;
      }
      counted = meta.cursor;
      const quotes = errors.find((error) => error.type === 'Quotes');
      if (quotes) throw unreadable(source, first, quotes.code);
      if (!each(data, first)) parser.abort();
    },
  });
}

/** The error for a file whose quotes cannot be read, at the line of the record they are in. */
function unreadable(source: string, line: number, code: string) {
  return invalidInput(`${source} is not a readable CSV file`, [
    {
      path: '',
      line,
      message:
        code === 'MissingQuotes'
          ? 'a quoted value in the row starting here is never closed'
          : 'a quoted value in the row starting here has text after its closing quote',
      hint: 'a value with commas, quotes or line breaks must be wholly in double quotes, its own quotes doubled (""), as a spreadsheet saves it as CSV',
    },
  ]);
}

/** The application columns' places in the file, by its header (a later column of the same name winning). */
function recordLayout(header: readonly string[]): RecordLayout {
  const columnIndex = new Map(header.map((column, index) => [column, index]));
  return {
    fieldColumns: applicationCsvColumns.map((column) => columnIndex.get(column)),
    consentAt: columnIndex.get(consentColumn),
    headerLength: header.length,
  };
}

/** Where a record's fields are: by the header, each application column's index (if any), the consent column's. */
interface RecordLayout {
  fieldColumns: readonly (number | undefined)[];
  consentAt: number | undefined;
  headerLength: number;
}

/** One record of the file, checked: its application, or what is wrong with it, by line. */
function rowOf(record: readonly string[], line: number, layout: RecordLayout, checker: RowChecker): CsvRow {
  const { fieldColumns, consentAt, headerLength } = layout;
  if (record.length !== headerLength) {
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
  // Every column a key, absent ones undefined, as the schema has always been given them.
  const fields: Partial<Record<(typeof applicationCsvColumns)[number], string>> = {};
  for (let c = 0; c < applicationCsvColumns.length; c++) {
    const at = fieldColumns[c];
    fields[applicationCsvColumns[c] as (typeof applicationCsvColumns)[number]] =
      at === undefined ? undefined : record[at];
  }
  const result = checker.check(fields);
  const issues = result.success ? [] : issuesFromZod(result.error, applicationHints);
  const consent = readConsent(consentAt === undefined ? undefined : record[consentAt]);
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

function readConsent(value: string | undefined): boolean | 'invalid' | undefined {
  const answer = value?.trim().toLowerCase();
  if (!answer) return undefined;
  if (yes.has(answer)) return true;
  if (no.has(answer)) return false;
  return 'invalid';
}

import pMap from 'p-map';
import { parseApplicationsCsv } from '../applications/applications-csv.ts';
import { conflict, type FieldIssue, invalidInput } from '../errors.ts';
import { type Clock, type CohortStore, IntakeClosedError } from '../ports.ts';
import { loadCohort } from './load-cohort.ts';

export interface ImportApplicationsDeps {
  store: CohortStore;
  clock: Clock;
}

export interface ImportReport {
  cohortId: string;
  /** Rows that created a new application. */
  created: number;
  /** Rows that replaced an application with the same email. */
  updated: number;
  rejected: { line: number; issues: FieldIssue[] }[];
  /** Rows superseded by a later row with the same email: the later row wins. */
  superseded: { line: number; email: string; byLine: number }[];
  ignoredColumns: string[];
}

/** Writes at this many rows at a time: fast enough for 10,000 rows, gentle on on-demand capacity. */
const writeConcurrency = 16;

/**
 * Imports a CSV export of applications. Good rows are written and bad rows reported by line;
 * with `strict`, one bad row means nothing is written. Organizers may import until matching
 * starts, even after the public intake dates.
 */
export async function importApplications(
  cohortId: string,
  csvText: string,
  options: { strict: boolean },
  { store, clock }: ImportApplicationsDeps,
): Promise<ImportReport> {
  const cohort = await loadCohort(store, cohortId);
  if (cohort.phase !== 'intake') {
    throw conflict(`Cohort "${cohortId}" is past intake (phase: ${cohort.phase}); imports are closed.`);
  }
  const { rows, ignoredColumns } = parseApplicationsCsv(csvText);
  const rejected = rows.filter((row) => !row.application).map(({ line, issues }) => ({ line, issues }));
  if (options.strict && rejected.length > 0) {
    throw invalidInput(
      `Nothing was imported: ${rejected.length} of ${rows.length} rows have problems (--strict)`,
      rejected.flatMap((row) => row.issues),
    );
  }

  const lastRowByEmail = new Map<string, (typeof rows)[number]>();
  const superseded: ImportReport['superseded'] = [];
  for (const row of rows) {
    if (!row.application) continue;
    const earlier = lastRowByEmail.get(row.application.email);
    if (earlier) superseded.push({ line: earlier.line, email: row.application.email, byLine: row.line });
    lastRowByEmail.set(row.application.email, row);
  }

  const now = clock.now();
  let created = 0;
  let updated = 0;
  try {
    await pMap(
      lastRowByEmail.values(),
      async (row) => {
        if (!row.application) return;
        const result = await store.saveApplication({
          cohortId,
          application: row.application,
          consentSource: row.consent ? 'applicant' : 'import',
          now,
          require: 'phase',
        });
        if (result.created) created++;
        else updated++;
      },
      { concurrency: writeConcurrency },
    );
  } catch (error) {
    if (error instanceof IntakeClosedError) {
      throw conflict(
        `Matching started for cohort "${cohortId}" during the import; ${created + updated} rows were saved before it did.`,
      );
    }
    throw error;
  }
  return { cohortId, created, updated, rejected, superseded, ignoredColumns };
}

import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pMap from 'p-map';
import { addressIn } from '../../shared/email/email-address.ts';
import { ledgerHeader, parseLedgerId } from '../../shared/email/outbound-email.ts';
import type { CohortReportData } from '../../shared/report/cohort-report.ts';
import { buildCohortReport } from '../../shared/use-cases/cohort-report.ts';
import { type CapturedEmail, emlOf } from '../ses-local.ts';
import type { SimulationRun } from './simulation.ts';

/**
 * The simulated cohort's report: the same use case and files as `tandem report` (computed from
 * the table, not from the outbox), with the simulation's own phases and its virtual and real time.
 */
export async function buildReport(run: SimulationRun): Promise<CohortReportData> {
  // Imported here, not at the top: the handlers' Powertools instances must be created after the
  // local stack has set their environment (quiet logs, no metrics).
  const { handlerDeps } = await import('../../functions/adapters.ts');
  const data = await buildCohortReport(run.cohortId, handlerDeps(), { phases: run.phases });
  return {
    ...data,
    report: {
      ...data.report,
      virtualStart: run.virtualStart,
      virtualEnd: run.virtualEnd,
      realSeconds: Math.round(run.realSeconds * 10) / 10,
    },
  };
}

/** Every email the local inbox captured, as `.eml` files named by order, date, kind and recipient. */
export async function writeOutbox(run: SimulationRun, folder: string): Promise<number> {
  // A fresh outbox each run: a count of the folder's files is the count of this run's emails.
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  await pMap(
    run.emails.map((email, index) => ({ email, index })),
    async ({ email, index }) => {
      const recipient = (addressIn(email.destination.to[0] ?? '').split('@')[0] || 'someone').replace(
        /[^\w.-]/g,
        '',
      );
      const date = new Date(email.at * 1000).toISOString().slice(0, 10);
      const name = `${String(index + 1).padStart(6, '0')}-${date}-${kindOf(email)}-${recipient}.eml`;
      await writeFile(join(folder, name), await emlOf(email));
    },
    { concurrency: 16 },
  );
  return run.emails.length;
}

export function kindOf(email: CapturedEmail): string {
  return parseLedgerId(email.headers?.find((h) => h.name === ledgerHeader)?.value ?? '')?.kind ?? 'other';
}

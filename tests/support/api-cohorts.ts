import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import { parseProgram } from '../../shared/program/load-program.ts';
import type { Program } from '../../shared/program/program-schema.ts';
import { shiftProgram } from '../../shared/program/shift-program.ts';
import { createTestTable, fixedClock } from './local-table.ts';
import { mailDeps } from './mail-deps.ts';
import { startTestApi } from './test-api.ts';

const example = parseProgram(readFileSync('examples/program.yaml', 'utf8'));

/** The example program under this id, its intake opening today. */
export function openProgram(id: string, changes: Partial<Program> = {}): Program & { id: string } {
  return { ...shiftProgram(example, DateTime.now().toISODate() ?? ''), id, ...changes };
}

/**
 * A fresh table, the local HTTP API on it, the adapters to look into it, and these programs
 * launched through the API (as an organizer would).
 */
export async function apiWithCohorts(programs: object[]) {
  const table = await createTestTable();
  const api = await startTestApi(table.endpoint, table.tableName);
  const deps = mailDeps(table, fixedClock(new Date().toISOString()));
  for (const program of programs) {
    const launched = await api.call('POST', '/cohorts', program);
    if (launched.status !== 201) throw new Error(`launch failed: ${JSON.stringify(launched.body)}`);
  }
  return {
    table,
    api,
    deps,
    async stop() {
      await api.stop();
      await table.drop();
    },
  };
}

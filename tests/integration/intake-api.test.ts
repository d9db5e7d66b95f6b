import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProgram } from '../../shared/program/load-program.ts';
import { shiftProgram } from '../../shared/program/shift-program.ts';
import { createTestTable } from '../support/local-table.ts';
import { startTestApi } from '../support/test-api.ts';

const example = parseProgram(readFileSync('examples/program.yaml', 'utf8'));
const today = DateTime.now().setZone(example.timezone).toISODate() ?? '';
const openProgram = { ...shiftProgram(example, today), id: 'open-cohort' };
const closedProgram = {
  ...shiftProgram(example, DateTime.now().minus({ days: 60 }).toISODate() ?? ''),
  id: 'closed-cohort',
};
const futureProgram = {
  ...shiftProgram(example, DateTime.now().plus({ days: 30 }).toISODate() ?? ''),
  id: 'future-cohort',
};

const application = {
  email: 'Noor.Hassan@Example.com',
  name: 'Noor Hassan',
  role: 'mentee',
  years_experience: 1,
  topics: ['data engineering'],
  timezone: 'Africa/Cairo',
  languages: 'Arabic; English',
  consent: true,
};

describe('intake through the HTTP API (local API Gateway → Lambda handlers → DynamoDB Local)', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let api: Awaited<ReturnType<typeof startTestApi>>;

  beforeAll(async () => {
    table = await createTestTable();
    api = await startTestApi(table.endpoint, table.tableName);
    for (const program of [openProgram, closedProgram, futureProgram]) {
      expect((await api.call('POST', '/cohorts', program)).status).toBe(201);
    }
  });
  afterAll(async () => {
    await api.stop();
    await table.drop();
  });

  it('takes an application, and a re-application of the same address makes no duplicate', async () => {
    const first = await api.call('POST', '/cohorts/open-cohort/applications', application);
    expect(first).toEqual({
      status: 202,
      body: {
        status: 'received',
        cohortId: 'open-cohort',
        email: 'noor.hassan@example.com',
        role: 'mentee',
        message: expect.stringContaining('confirmed from the inbox of noor.hassan@example.com'),
      },
    });
    const again = await api.call('POST', '/cohorts/open-cohort/applications', {
      ...application,
      email: ' noor.hassan@example.com',
    });
    expect(again).toEqual(first);
    const status = await api.call('GET', '/cohorts/open-cohort');
    expect(status.body.participants).toMatchObject({ mentees: 1, mentors: 0 });
  });

  it('answers 400 listing every field error', async () => {
    const response = await api.call('POST', '/cohorts/open-cohort/applications', {
      email: 'nope',
      role: 'coach',
      topics: [],
      timezone: 'Mars/Base',
    });
    expect(response.status).toBe(400);
    const issues = (response.body.error as { issues: { path: string }[] }).issues.map((issue) => issue.path);
    expect(issues.sort()).toEqual([
      'consent',
      'email',
      'name',
      'role',
      'timezone',
      'topics',
      'years_experience',
    ]);
  });

  it('answers 400 for a body that is not JSON, and 413 for an oversized one', async () => {
    const notJson = await api.call(
      'POST',
      '/cohorts/open-cohort/applications',
      '{"email":',
      'application/json',
    );
    expect(notJson.status).toBe(400);
    expect((notJson.body.error as { message: string }).message).toBe('The request body is not valid JSON');
    const huge = await api.call('POST', '/cohorts/open-cohort/applications', {
      ...application,
      name: 'x'.repeat(20_000),
    });
    expect(huge.status).toBe(413);
  });

  it('answers 409 when intake has closed or not yet opened, and stores nothing', async () => {
    const closed = await api.call('POST', '/cohorts/closed-cohort/applications', application);
    expect(closed.status).toBe(409);
    expect((closed.body.error as { message: string }).message).toMatch(/closed on \d{4}-\d{2}-\d{2}/);
    const future = await api.call('POST', '/cohorts/future-cohort/applications', application);
    expect(future.status).toBe(409);
    expect((future.body.error as { message: string }).message).toMatch(/open on/);
    const status = await api.call('GET', '/cohorts/closed-cohort');
    expect(status.body.participants).toMatchObject({ mentees: 0, mentors: 0 });
  });

  it('answers 404 for an unknown cohort and 400 for a malformed id', async () => {
    expect((await api.call('POST', '/cohorts/no-such-cohort/applications', application)).status).toBe(404);
    expect((await api.call('GET', '/cohorts/Bad_Id!')).status).toBe(400);
  });

  // Organizers import before the intake opens (a list gathered elsewhere); once the intake has
  // closed, the workflow moves on to matching and imports close too.
  it('imports a CSV: good rows in, bad rows reported by line, re-import updates', async () => {
    const csv = readFileSync('examples/applications.csv', 'utf8');
    const withBad = `${csv}bad@example.com,Bad,mentee,,many,topic,UTC,,,,\n`;
    const report = await api.call('POST', '/cohorts/future-cohort/imports', withBad, 'text/csv');
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ created: 20, updated: 0 });
    expect(report.body.rejected).toEqual([
      { line: 22, issues: [expect.objectContaining({ path: 'years_experience', line: 22 })] },
    ]);
    const again = await api.call('POST', '/cohorts/future-cohort/imports', csv, 'text/csv');
    expect(again.body).toMatchObject({ created: 0, updated: 20, rejected: [] });
  });

  it('imports nothing with strict when any row is bad', async () => {
    const csv = readFileSync('examples/applications.csv', 'utf8');
    const withBad = `${csv}bad@example.com,Bad,mentee,,many,topic,UTC,,,,\n`;
    const before = await api.call('GET', '/cohorts/open-cohort');
    const response = await api.call('POST', '/cohorts/open-cohort/imports?strict=true', withBad, 'text/csv');
    expect(response.status).toBe(400);
    expect((response.body.error as { message: string }).message).toMatch(
      /Nothing was imported: 1 of 21 rows/,
    );
    const after = await api.call('GET', '/cohorts/open-cohort');
    expect(after.body.participants).toEqual(before.body.participants);
  });

  it('refuses an invalid program with every problem', async () => {
    const response = await api.call('POST', '/cohorts', { name: 'x', lengthMonths: 13 });
    expect(response.status).toBe(400);
    const paths = (response.body.error as { issues: { path: string }[] }).issues.map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining(['organizers', 'sender', 'intake', 'start', 'lengthMonths']),
    );
  });
});

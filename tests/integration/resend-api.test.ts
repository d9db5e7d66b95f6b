import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeEmail } from '../../shared/email/compose-email.ts';
import { parseProgram } from '../../shared/program/load-program.ts';
import { shiftProgram } from '../../shared/program/shift-program.ts';
import { loadCohort } from '../../shared/use-cases/load-cohort.ts';
import { createTestTable, fixedClock } from '../support/local-table.ts';
import { capturedEmails, mailDeps, testSettings } from '../support/mail-deps.ts';
import { startTestApi } from '../support/test-api.ts';

const example = parseProgram(readFileSync('examples/program.yaml', 'utf8'));
const program = { ...shiftProgram(example, DateTime.now().toISODate() ?? ''), id: 'resend-test' };
const grace = 'grace@resend.example';

describe('POST /cohorts/{id}/resend (tandem resend): dead letters sent again, once', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let api: Awaited<ReturnType<typeof startTestApi>>;
  let deps: ReturnType<typeof mailDeps>;

  beforeAll(async () => {
    table = await createTestTable();
    api = await startTestApi(table.endpoint, table.tableName);
    deps = mailDeps(table, fixedClock(new Date().toISOString()));
    const organizers = [{ name: 'Grace Hopper', email: grace }];
    expect((await api.call('POST', '/cohorts', { ...program, organizers })).status).toBe(201);
  });
  afterAll(async () => {
    await api.stop();
    await table.drop();
  });

  it('sends each dead letter as it was composed, clears it, and a second resend sends nothing', async () => {
    // SES rejected the approval request (the sender was not verified yet): a dead letter.
    const cohort = await loadCohort(deps.store, 'resend-test');
    const email = composeEmail(
      {
        cohort,
        kind: 'approval-request',
        round: 0,
        recipient: { recipientId: 'organizer-1', name: 'Grace Hopper', email: grace, audience: 'organizer' },
        thread: 'organizers-approval-request',
        context: { approval: { matched: 3, unmatched: 1 } },
      },
      testSettings,
    );
    const claim = await deps.ledger.claim(email.ledger, { now: new Date(), leaseMs: 60_000 });
    if (claim.outcome !== 'claimed') throw new Error('not claimed');
    await deps.ledger.markFailed(
      email.ledger,
      claim.claimToken,
      'MessageRejected: not verified',
      new Date(),
      {
        email,
      },
    );
    expect((await api.call('GET', '/cohorts/resend-test')).body.deadLetters).toBe(1);

    const first = await api.call('POST', '/cohorts/resend-test/resend');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ deadLetters: 1, resent: 1, message: 'Resent 1 of 1 dead letters.' });
    const again = await api.call('POST', '/cohorts/resend-test/resend');
    expect(again.body).toMatchObject({ deadLetters: 0, resent: 0 });
    const received = await capturedEmails([grace]);
    expect(received.map((e) => e.subject)).toEqual([email.subject]);
    expect((await api.call('GET', '/cohorts/resend-test')).body.deadLetters).toBe(0);
    expect((await api.call('POST', '/cohorts/no-such-cohort/resend')).status).toBe(404);
  });
});

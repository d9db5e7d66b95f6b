import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeEmail } from '../../shared/email/compose-email.ts';
import { loadCohort } from '../../shared/use-cases/load-cohort.ts';
import { apiWithCohorts, openProgram } from '../support/api-cohorts.ts';
import { capturedEmails, testSettings } from '../support/mail-deps.ts';

const grace = 'grace@resend.example';

describe('POST /cohorts/{id}/resend (tandem resend): dead letters sent again, once', () => {
  let setup: Awaited<ReturnType<typeof apiWithCohorts>>;
  let api: typeof setup.api;
  let deps: typeof setup.deps;

  beforeAll(async () => {
    setup = await apiWithCohorts([
      openProgram('resend-test', { organizers: [{ name: 'Grace Hopper', email: grace }] }),
    ]);
    ({ api, deps } = setup);
  });
  afterAll(() => setup.stop());

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

import { MessageRejected, SendEmailCommand, SendingPausedException } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { DynamoDbRateLimits } from '../../shared/adapters/dynamodb/dynamodb-rate-limits.ts';
import type { OutboundEmail } from '../../shared/email/outbound-email.ts';
import { sharedRateMailer } from '../../shared/email/shared-send-rate.ts';
import type { Mailer } from '../../shared/ports.ts';
import { deliverEmail } from '../../shared/use-cases/deliver-email.ts';
import { recordDeliveryEvents } from '../../shared/use-cases/record-delivery-events.ts';
import { resendDeadLetters } from '../../shared/use-cases/resend-dead-letters.ts';
import { notifyFailure } from '../../shared/workflow/close-steps.ts';
import { ledgerFixture } from '../support/ledger-fixture.ts';

const cohortId = 'pressure-test';
const tom = 'tom@pressure.example';

describe('sending under pressure: one rate for all senders, quota and pause, ambiguous failures', () => {
  const f = ledgerFixture(cohortId, tom);
  const { clock, ses, message, mocked } = f;

  it('four Lambdas sending at once stay under the account rate together', async () => {
    const rate = 5;
    // Time passes only when a sender waits: each send is stamped with the second it went out in.
    let now = Date.parse('2027-02-15T08:00:00Z');
    const acceptedIn: number[] = [];
    const account: Mailer = {
      send: async () => {
        acceptedIn.push(Math.floor(now / 1000));
        return { providerMessageId: `ses-${acceptedIn.length}` };
      },
    };
    const clock = { now: () => new Date(now) };
    const sleep = async (ms: number) => {
      now += ms;
    };
    // Each Lambda builds its own mailer for the account's rate, as functions/adapters.ts does.
    const lambdas = Array.from({ length: 4 }, () =>
      sharedRateMailer(account, new DynamoDbRateLimits(f.table.db, f.table.tableName), {
        perSecond: rate,
        clock,
        sleep,
      }),
    );
    await Promise.all(lambdas.flatMap((mailer) => Array.from({ length: 10 }, () => mailer.send(message()))));
    expect(acceptedIn).toHaveLength(40);
    const perSecond = new Map<number, number>();
    for (const second of acceptedIn) perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(rate);
    // …and they use the rate, not a fraction of it: 40 messages in at most 9 seconds.
    expect(perSecond.size).toBeLessThanOrEqual(9);
  });

  it('daily quota exceeded: no dead letter, the message goes out once SES takes mail again', async () => {
    ses
      .on(SendEmailCommand)
      .rejects(Object.assign(new Error('Daily message quota exceeded.'), { name: 'ThrottlingException' }));
    const email = message();
    const first = await deliverEmail(email, tom, mocked(), f.deps.delivery);
    expect(first).not.toBe('dead-lettered');
    expect(await f.deps.ledger.listDeadLetters(cohortId)).toEqual([]);
    expect(await f.deps.ledger.settled([email.ledger])).toEqual(new Set());

    ses.reset();
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-after-quota' });
    clock.set('2027-02-15T09:00:00Z');
    expect(await deliverEmail(email, tom, mocked(), f.deps.delivery)).toBe('sent');
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
  });

  it('account sending paused: retried later, not given up', async () => {
    ses
      .on(SendEmailCommand)
      .rejects(new SendingPausedException({ message: 'Sending is paused for this account.', $metadata: {} }));
    const email = message();
    expect(await deliverEmail(email, tom, mocked(), f.deps.delivery)).not.toBe('dead-lettered');
    ses.reset();
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-after-pause' });
    expect(await deliverEmail(email, tom, mocked(), f.deps.delivery)).toBe('sent');
    expect(await f.deps.ledger.get(email.ledger)).toMatchObject({
      status: 'sent',
      providerMessageId: 'ses-after-pause',
    });
  });

  it.each([
    ['a timeout', Object.assign(new Error('socket hang up'), { name: 'TimeoutError' })],
    ['a connection reset', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    [
      'a 500 from SES',
      Object.assign(new Error('Internal failure'), {
        name: 'InternalFailure',
        $metadata: { httpStatusCode: 500 },
      }),
    ],
  ])('after %s, never sends again before SES has told whether it took the message', async (_, failure) => {
    // SES took the message, but the answer was lost.
    ses.on(SendEmailCommand).rejectsOnce(failure).resolves({ MessageId: 'ses-second-copy' });
    const email = message();
    await deliverEmail(email, tom, mocked(), f.deps.delivery);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    // SES's Send event says it went out: it is settled, and no second copy ever goes.
    await recordDeliveryEvents(
      [{ type: 'send', ledger: email.ledger, providerMessageId: 'ses-first-copy', recipients: [] }],
      f.deps,
    );
    clock.set('2027-02-15T10:00:00Z');
    expect(await deliverEmail(email, tom, mocked(), f.deps.delivery)).toBe('already-sent');
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
  });

  it('an ambiguous failure SES never reports was not sent: after the lease it goes out once', async () => {
    ses
      .on(SendEmailCommand)
      .rejectsOnce(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))
      .resolves({ MessageId: 'ses-after-lease' });
    const email = message();
    expect(await deliverEmail(email, tom, mocked(), f.deps.delivery)).toBe('in-flight');
    clock.set('2027-02-15T08:16:00Z');
    expect(await deliverEmail(email, tom, mocked(), f.deps.delivery)).toBe('sent');
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(2);
  });

  it('a retried failure alert reaches each organizer once, with one notice', async () => {
    const state = {
      cohortId,
      failedStep: 'PlanNudges',
      error: { Error: 'Error', Cause: JSON.stringify({ errorMessage: 'the function crashed' }) },
    };
    const sent: OutboundEmail[] = [];
    const recording = {
      ...f.deps,
      mailer: {
        send: async (email: OutboundEmail) => {
          sent.push(email);
          return { providerMessageId: `ses-alert-${sent.length}` };
        },
      },
    };
    const failing = {
      ...recording,
      mailer: {
        send: async () => {
          throw Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' });
        },
      },
      delivery: { retry: { retries: 0, minTimeout: 1, maxTimeout: 1 } },
    };
    // The first attempt posts its notice, then cannot send: Step Functions retries the step.
    const execution = `${cohortId}--1`;
    await notifyFailure(state, failing, execution).catch(() => {});
    clock.set('2027-02-15T08:00:10Z');
    await notifyFailure(state, recording, execution);
    clock.set('2027-02-15T08:00:40Z');
    await notifyFailure(state, recording, execution);
    expect(
      sent.filter((email) => email.ledger.kind === 'organizer-alert').map((email) => email.to.email),
    ).toEqual([`grace@${cohortId}.example`]);
    const stops = (await f.deps.notices.list(cohortId)).filter((n) =>
      n.message.includes('The workflow stopped'),
    );
    expect(stops).toHaveLength(1);
  });

  it('rejected messages wait as dead letters until the organizer resends them, once each', async () => {
    ses
      .on(SendEmailCommand)
      .rejects(new MessageRejected({ message: 'Email address is not verified.', $metadata: {} }));
    const email = message();
    expect(await deliverEmail(email, tom, mocked(), f.deps.delivery)).toBe('dead-lettered');
    expect((await f.deps.ledger.listDeadLetters(cohortId)).map((d) => d.key)).toContainEqual(email.ledger);
    // The organizer verified the sender: two resends at once send it once, as it was composed.
    ses.reset();
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-resent' });
    const results = await Promise.all([
      resendDeadLetters(cohortId, mocked()),
      resendDeadLetters(cohortId, mocked()),
    ]);
    expect(results.reduce((sum, r) => sum + r.resent, 0)).toBe(1);
    const calls = ses.commandCalls(SendEmailCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input.Content?.Simple?.Subject?.Data).toBe(email.subject);
    expect(await f.deps.ledger.get(email.ledger)).toMatchObject({
      status: 'sent',
      providerMessageId: 'ses-resent',
    });
    expect(await f.deps.ledger.listDeadLetters(cohortId)).toEqual([]);
    expect((await resendDeadLetters(cohortId, mocked())).message).toBe(
      'There are no dead letters to resend.',
    );
  });
});

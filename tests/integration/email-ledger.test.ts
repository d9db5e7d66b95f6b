import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { MessageRejected, SendEmailCommand, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { sesEventRecord } from '../../local/ses-event-feed.ts';
import { batchGetAll } from '../../shared/adapters/dynamodb/table-helpers.ts';
import { ledgerId, type OutboundEmail } from '../../shared/email/outbound-email.ts';
import { deliverEmail, deliverEmails } from '../../shared/use-cases/deliver-email.ts';
import { recordDeliveryEvents } from '../../shared/use-cases/record-delivery-events.ts';
import { setHandlerEnvironment } from '../support/handler-environment.ts';
import { ledgerFixture } from '../support/ledger-fixture.ts';
import { requestsDuring } from '../support/local-table.ts';

const cohortId = 'ledger-test';
const tom = 'tom@ledger.example';

describe('exactly-once delivery: ledger on DynamoDB Local, faults injected into SES', () => {
  const f = ledgerFixture(cohortId, tom);
  const { clock, ses, message, mocked } = f;
  let table: typeof f.table;
  let deps: typeof f.deps;
  beforeAll(() => {
    ({ table, deps } = f);
  });

  it('sends once; a duplicate event or retry sends nothing more', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    const email = message();
    expect(await deliverEmail(email, tom, mocked(), deps.delivery)).toBe('sent');
    expect(await deliverEmail(email, tom, mocked(), deps.delivery)).toBe('already-sent');
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    expect(await deps.ledger.get(email.ledger)).toMatchObject({ status: 'sent', providerMessageId: 'ses-1' });
  });

  it('lets exactly one of many concurrent workers claim a message (conditional put race)', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-race' });
    const email = message();
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () => deliverEmail(email, tom, mocked(), deps.delivery)),
    );
    expect(outcomes.filter((o) => o === 'sent')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'sent' || o === 'in-flight' || o === 'already-sent')).toHaveLength(8);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
  });

  it('SES accepts, then the function dies: the retry waits, and the SES event settles it without a copy', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-crash' });
    const email = message();
    vi.spyOn(deps.ledger, 'markSent').mockRejectedValueOnce(new Error('Lambda timed out'));
    await expect(deliverEmail(email, tom, mocked(), deps.delivery)).rejects.toThrow('Lambda timed out');
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);

    // A retry within the lease does not know whether SES sent it: it holds off.
    clock.set('2027-02-15T08:05:00Z');
    expect(await deliverEmail(email, tom, mocked(), deps.delivery)).toBe('in-flight');
    // SES's Send event (configuration set → EventBridge) records that it went out.
    await recordDeliveryEvents(
      [{ type: 'send', ledger: email.ledger, providerMessageId: 'ses-crash', recipients: [] }],
      deps,
    );
    clock.set('2027-02-15T09:00:00Z');
    expect(await deliverEmail(email, tom, mocked(), deps.delivery)).toBe('already-sent');
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    expect(await deps.ledger.get(email.ledger)).toMatchObject({
      status: 'sent',
      providerMessageId: 'ses-crash',
    });
  });

  it("settles a batch of SES events with one read, writing only what the ledger didn't know", async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-marked' });
    const marked = message();
    expect(await deliverEmail(marked, tom, mocked(), deps.delivery)).toBe('sent');
    // Claimed, accepted by SES, then the function died before marking it sent.
    const crashed = message();
    await deps.ledger.claim(crashed.ledger, {
      now: clock.now(),
      leaseMs: 15 * 60_000,
      participantEmail: tom,
    });
    const foreign = {
      cohortId: 'another-deployment',
      recipientId: 'p-x',
      kind: 'check-in' as const,
      round: 1,
    };
    const event = (type: 'send' | 'delivery', ledger: OutboundEmail['ledger'], id: string) => ({
      type,
      ledger,
      providerMessageId: id,
      recipients: [],
    });

    const requests = await requestsDuring(table.db, async () => {
      const failed = await recordDeliveryEvents(
        [
          event('send', marked.ledger, 'ses-marked'),
          event('delivery', marked.ledger, 'ses-marked'),
          event('send', crashed.ledger, 'ses-crashed'),
          event('send', foreign, 'ses-foreign'),
        ],
        deps,
      );
      expect(failed).toEqual([]);
    });
    expect(requests).toEqual(['BatchGetItemCommand', 'UpdateItemCommand']);
    expect(await deps.ledger.get(crashed.ledger)).toMatchObject({
      status: 'sent',
      providerMessageId: 'ses-crashed',
    });
    expect(await deps.ledger.get(foreign)).toBeUndefined();
    // The same events again (SQS delivers at least once): read, nothing to write.
    const again = await requestsDuring(table.db, () =>
      recordDeliveryEvents([event('send', crashed.ledger, 'ses-crashed')], deps),
    );
    expect(again).toEqual(['BatchGetItemCommand']);
  });

  it('reports the events it could not record and does the rest', async () => {
    const email = message();
    await deps.ledger.claim(email.ledger, { now: clock.now(), leaseMs: 15 * 60_000, participantEmail: tom });
    vi.spyOn(deps.store, 'findCohortIdsOfEmail').mockRejectedValueOnce(new Error('throttled'));
    const failed = await recordDeliveryEvents(
      [
        { type: 'bounce', bounceType: 'Permanent', recipients: ['gone@ledger.example'] },
        { type: 'send', ledger: email.ledger, providerMessageId: 'ses-ok', recipients: [] },
      ],
      deps,
    );
    vi.restoreAllMocks();
    expect(failed).toEqual([{ index: 0, error: new Error('throttled') }]);
    expect(await deps.ledger.get(email.ledger)).toMatchObject({
      status: 'sent',
      providerMessageId: 'ses-ok',
    });
  });

  it('a claim whose lease ran out with no word from SES was never sent: it is sent once', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-late' });
    const email = message();
    // The function died after claiming, before calling SES.
    await deps.ledger.claim(email.ledger, { now: clock.now(), leaseMs: 15 * 60_000, participantEmail: tom });
    clock.set('2027-02-15T08:16:00Z');
    const outcomes = await Promise.all([
      deliverEmail(email, tom, mocked(), deps.delivery),
      deliverEmail(email, tom, mocked(), deps.delivery),
    ]);
    expect(outcomes.sort()).toEqual(['in-flight', 'sent']);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    expect((await deps.ledger.get(email.ledger))?.attempts).toBe(2);
  });

  it('backs off on throttling and sends when SES lets it', async () => {
    const throttled = new TooManyRequestsException({
      message: 'Maximum sending rate exceeded.',
      $metadata: {},
    });
    ses
      .on(SendEmailCommand)
      .rejectsOnce(throttled)
      .rejectsOnce(throttled)
      .resolves({ MessageId: 'ses-after-throttle' });
    expect(await deliverEmail(message(), tom, mocked(), deps.delivery)).toBe('sent');
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(3);
  });

  it('files a dead letter the organizer sees when SES rejects, and never retries it silently', async () => {
    ses
      .on(SendEmailCommand)
      .rejects(new MessageRejected({ message: 'Email address is not verified.', $metadata: {} }));
    const email = message();
    expect(await deliverEmail(email, tom, mocked(), deps.delivery)).toBe('dead-lettered');
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    expect(await deliverEmail(email, tom, mocked(), deps.delivery)).toBe('already-sent');
    const deadLetters = await deps.ledger.listDeadLetters(cohortId);
    expect(deadLetters.map((d) => d.key)).toContainEqual(email.ledger);
    expect(deadLetters.find((d) => d.key.round === email.ledger.round)?.error).toMatch(/MessageRejected/);
    const notices = await deps.notices.list(cohortId);
    expect(notices.some((n) => n.kind === 'dead-letter' && n.message.includes(tom))).toBe(true);
  });

  it('gives a message still throttled after every retry back for a later run, never a dead letter', async () => {
    ses.on(SendEmailCommand).rejects(new TooManyRequestsException({ message: 'slow down', $metadata: {} }));
    const email = message();
    expect(await deliverEmail(email, tom, mocked(), deps.delivery)).toBe('deferred');
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(4);
    expect((await deps.ledger.listDeadLetters(cohortId)).map((d) => d.key)).not.toContainEqual(email.ledger);
  });

  it('tells which messages are settled, in batch reads: sent and dead-lettered, not in flight or new', async () => {
    const sent = message();
    const rejected = message();
    const inFlight = message();
    ses.on(SendEmailCommand).resolvesOnce({ MessageId: 'ses-settled' });
    expect(await deliverEmail(sent, tom, mocked(), deps.delivery)).toBe('sent');
    ses
      .on(SendEmailCommand)
      .rejectsOnce(new MessageRejected({ message: 'Email address is not verified', $metadata: {} }));
    expect(await deliverEmail(rejected, tom, mocked(), deps.delivery)).toBe('dead-lettered');
    // Claimed by a worker that has not sent it yet: in flight.
    const claim = await deps.ledger.claim(inFlight.ledger, { now: clock.now(), leaseMs: 60_000 });
    expect(claim.outcome).toBe('claimed');
    // More keys than one BatchGetItem takes (100): the rest have never been claimed.
    const unclaimed = Array.from({ length: 150 }, (_, i) => ({ ...sent.ledger, round: 10_000 + i }));
    const settled = await deps.ledger.settled([sent.ledger, rejected.ledger, inFlight.ledger, ...unclaimed]);
    expect([...settled].sort()).toEqual([ledgerId(sent.ledger), ledgerId(rejected.ledger)].sort());
  });

  it('asks again for the keys DynamoDB leaves unprocessed (throttling), until it has them all', async () => {
    const db = mockClient(DynamoDBDocumentClient);
    const keysOf = (n: number) => Array.from({ length: n }, (_, i) => ({ pk: 'P', sk: `S${i}` }));
    db.on(BatchGetCommand)
      .resolvesOnce({
        Responses: { t: [{ pk: 'P', sk: 'S0' }] },
        UnprocessedKeys: { t: { Keys: keysOf(3).slice(1) } },
      })
      .resolvesOnce({
        Responses: {
          t: [
            { pk: 'P', sk: 'S1' },
            { pk: 'P', sk: 'S2' },
          ],
        },
      });
    const items = await batchGetAll(DynamoDBDocumentClient.from(new DynamoDBClient({})), 't', keysOf(3));
    expect(items.map((item) => item.sk)).toEqual(['S0', 'S1', 'S2']);
    expect(db.commandCalls(BatchGetCommand)[1]?.args[0].input.RequestItems?.t?.Keys).toEqual(
      keysOf(3).slice(1),
    );
    db.restore();
  });

  it('gives up with an error when DynamoDB keeps leaving keys unprocessed', async () => {
    const db = mockClient(DynamoDBDocumentClient);
    db.on(BatchGetCommand).resolves({ UnprocessedKeys: { t: { Keys: [{ pk: 'P', sk: 'S0' }] } } });
    await expect(
      batchGetAll(DynamoDBDocumentClient.from(new DynamoDBClient({})), 't', [{ pk: 'P', sk: 'S0' }]),
    ).rejects.toThrow('DynamoDB left 1 keys unprocessed after 10 attempts');
    expect(db.commandCalls(BatchGetCommand)).toHaveLength(10);
    db.restore();
  });

  it('claims and marks a wave’s messages together: 60 sent once each in 5 ledger requests', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-wave' });
    const wave = Array.from({ length: 60 }, () => ({ email: message() }));
    const requests = await requestsDuring(table.db, async () => {
      expect(await deliverEmails(wave, mocked(), deps.delivery)).toEqual(wave.map(() => 'sent'));
    });
    // Groups of 50: claims 25 a transaction (2 + 1), marks a group a transaction (1 + 1).
    expect(requests).toEqual(Array.from({ length: 5 }, () => 'TransactWriteItemsCommand'));
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(60);
    const settled = await deps.ledger.settled(wave.map(({ email }) => email.ledger));
    expect(settled.size).toBe(60);

    // The wave again (a restart): every claim fails together, then one by one; nothing is sent.
    expect(await deliverEmails(wave, mocked(), deps.delivery)).toEqual(wave.map(() => 'already-sent'));
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(60);
  });

  it('claims one by one what cannot go together, and reports each message’s outcome in order', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-mixed' });
    const sentBefore = message();
    const inFlight = message();
    const fresh = [message(), message(), message()];
    expect(await deliverEmail(sentBefore, tom, mocked(), deps.delivery)).toBe('sent');
    await deps.ledger.claim(inFlight.ledger, { now: clock.now(), leaseMs: 15 * 60_000 });
    const outcomes = await deliverEmails(
      [
        { email: sentBefore, participantEmail: tom },
        { email: fresh[0] as OutboundEmail, participantEmail: tom },
        // Tom again: one transaction checks each participant once, for both of these messages.
        { email: fresh[1] as OutboundEmail, participantEmail: tom },
        { email: inFlight },
        { email: fresh[2] as OutboundEmail },
      ],
      mocked(),
      deps.delivery,
    );
    expect(outcomes).toEqual(['already-sent', 'sent', 'sent', 'in-flight', 'sent']);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(4);
    for (const email of fresh)
      expect(await deps.ledger.get(email.ledger)).toMatchObject({
        status: 'sent',
        providerMessageId: 'ses-mixed',
      });
  });

  it('through the Lambda handler on its queue: only an unreadable event goes back to be retried', async () => {
    setHandlerEnvironment(table);
    const { handler } = await import('../../functions/events/ses-events.ts');
    const email = message();
    await deps.ledger.claim(email.ledger, { now: clock.now(), leaseMs: 15 * 60_000, participantEmail: tom });
    const { cohortId: cohort, recipientId, kind, round } = email.ledger;
    const sent = sesEventRecord({
      eventType: 'Send',
      mail: {
        messageId: 'ses-queued',
        tags: { cohort: [cohort], recipient: [recipientId], kind: [kind], round: [String(round)] },
      },
    });
    const unreadable = { ...sesEventRecord({ eventType: 'Send' }), messageId: 'unreadable' };
    const response = await handler({ Records: [unreadable, sent] }, { awsRequestId: 'test' } as Context);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'unreadable' }] });
    expect(await deps.ledger.get(email.ledger)).toMatchObject({
      status: 'sent',
      providerMessageId: 'ses-queued',
    });
  });

  it('never mails an unsubscribed participant', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'x' });
    await deps.store.markParticipant(cohortId, tom, 'unsubscribedAt', clock.now());
    expect(await deliverEmail(message(), tom, mocked(), deps.delivery)).toBe('suppressed');
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });
});

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sesReceiptEvent } from '../../local/ses-receipt-event.ts';
import type { Cohort } from '../../shared/cohorts/cohort.ts';
import type { ReceiptVerdicts } from '../../shared/inbound/authentication-verdict.ts';
import type { OrganizerNotice } from '../../shared/ports.ts';
import { type ReceiveDeps, receiveReply } from '../../shared/use-cases/receive-reply.ts';
import { replyAddressOf } from '../../shared/use-cases/reply-address.ts';
import { sendWave } from '../../shared/use-cases/waves.ts';
import { type SeedPerson, seedCohort } from '../support/cohort-fixture.ts';
import { setHandlerEnvironment } from '../support/handler-environment.ts';
import { receiveDeps } from '../support/inbound-mail.ts';
import { createTestTable, fixedClock, requestsDuring } from '../support/local-table.ts';
import { capturedEmails, header, testSettings } from '../support/mail-deps.ts';
import { replyContent } from '../support/reply-content.ts';
import { authenticated as passed } from '../support/verdicts.ts';

/**
 * The inbound use case (`receiveReply`) — and, at the end, the Lambda handler SES invokes —
 * against DynamoDB Local and aws-ses-v2-local: raw messages as mail clients write them, sent
 * to the participants' real `reply+KEY@` addresses.
 */

const main = 'inbound.example';
const late = 'late.example';
const ended = 'ended.example';
const person = (name: string, email: string, role: 'mentor' | 'mentee'): SeedPerson => ({
  name,
  email,
  role,
  timezone: 'Europe/Berlin',
});
const tom = `tom@${main}`;
const amara = `amara@${main}`;
const kenji = `kenji@${main}`;
const lukas = `lukas@${main}`;
const mia = `mia@${main}`;
const omar = `omar@${main}`;
const noah = `noah@${main}`;
const sofia = `sofia@${main}`;
const lena = `lena@${late}`;
const max = `max@${late}`;
const ida = `ida@${late}`;
const ella = `ella@${ended}`;
const finn = `finn@${ended}`;

const quotedCheckIn = [
  'On Mon, 15 Feb 2027 at 09:00, Fixture Mentoring <mentoring@example.org> wrote:',
  '> Hi,',
  '>',
  '> Just reply to this email — a line per question is enough.',
  '>',
  '> 1. Did you meet since last time?',
  '> 2. The one or two topics you discussed',
  '> 3. Which action items did you commit to?',
  '> 4. Optional: how useful was it, 1 to 5?',
  '>',
  '> Short words work too: pause, exit, rematch, unsubscribe.',
].join('\n');

interface Draft {
  from: string;
  to: string;
  body: string;
  subject?: string;
  messageId?: string;
  headers?: Record<string, string>;
}

/** A plain-text reply as a mail client writes it: new text on top, the check-in quoted below. */
function rawReply(draft: Draft): Uint8Array {
  const headers = {
    From: draft.from,
    To: draft.to,
    Subject: draft.subject ?? 'Re: Check-in 1 of 12: how are things?',
    Date: 'Tue, 16 Feb 2027 10:00:00 +0000',
    'Message-ID': draft.messageId ?? newMessageId(),
    'MIME-Version': '1.0',
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Transfer-Encoding': '8bit',
    ...draft.headers,
  };
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  const text = `${draft.body}\n\n${quotedCheckIn}\n`;
  return Buffer.from([...head, '', text].join('\n').replace(/\r?\n/g, '\r\n'), 'utf8');
}

const newMessageId = () => `<${randomUUID()}@mail.${main}>`;

/** A message of the corpus of real-world replies, sent to another address by someone else. */
function corpusMessage(file: string, replace: Record<string, string>): Uint8Array {
  let text = readFileSync(`tests/fixtures/replies/${file}`, 'latin1');
  for (const [from, to] of Object.entries(replace)) text = text.replaceAll(from, to);
  return Buffer.from(text, 'latin1');
}

const addressOf = (to: string) => to.replace(/^.*<([^>]+)>$/, '$1').toLowerCase();

describe('inbound replies on the local stack (DynamoDB Local + aws-ses-v2-local)', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let deps: ReceiveDeps;
  let cohort: Cohort;
  let lateCohort: Cohort;
  let endedCohort: Cohort;
  const clock = fixedClock('2027-02-16T10:00:00Z');
  let deliveries = 0;

  /** Hands a raw message to the use case as the SES receipt rule would. */
  const receive = (
    raw: Uint8Array,
    envelopeRecipients: string[],
    options: { sesMessageId?: string; verdicts?: ReceiptVerdicts; receivedAt?: Date } = {},
  ) =>
    receiveReply(
      {
        sesMessageId: options.sesMessageId ?? `ses-${String(++deliveries).padStart(5, '0')}`,
        raw,
        envelopeRecipients,
        verdicts: options.verdicts ?? passed,
        receivedAt: options.receivedAt ?? clock.now(),
      },
      deps,
    );
  const replyAddress = async (cohortId: string, email: string, round: number) =>
    (await replyAddressOf(cohortId, email, round, deps)).address;
  const participant = async (cohortId: string, email: string) => {
    const found = await deps.store.getParticipant(cohortId, email);
    if (!found) throw new Error(`${email} is not in ${cohortId}`);
    return found;
  };
  const answerOf = async (cohortId: string, email: string, round: number) =>
    deps.answers.getAnswer(cohortId, round, (await participant(cohortId, email)).participantId);
  const noticesOf = async (cohortId: string, kind: OrganizerNotice['kind']) =>
    (await deps.notices.list(cohortId)).filter((notice) => notice.kind === kind);
  /** What aws-ses-v2-local captured for these recipients since `before` (a count of their emails). */
  const mailTo = async (recipients: string[], before = 0) => (await capturedEmails(recipients)).slice(before);
  const mailCount = async (recipients: string[]) => (await capturedEmails(recipients)).length;

  beforeAll(async () => {
    table = await createTestTable();
    deps = receiveDeps(table, clock);
    cohort = await seedCohort(deps, {
      id: 'inbound-main',
      people: [
        person('Tom Hughes', tom, 'mentee'),
        person('Amara Okafor', amara, 'mentor'),
        person('Kenji Sato', kenji, 'mentee'),
        person('Lukas Becker', lukas, 'mentor'),
        person('Mia Rossi', mia, 'mentee'),
        person('Omar Haddad', omar, 'mentor'),
        person('Noah Levi', noah, 'mentee'),
        person('Sofia Lind', sofia, 'mentor'),
      ],
      pairs: [
        [tom, amara],
        [kenji, lukas],
        [mia, omar],
        [noah, sofia],
      ],
    });
    lateCohort = await seedCohort(deps, {
      id: 'inbound-late',
      people: [
        person('Lena Vogel', lena, 'mentee'),
        person('Max Weber', max, 'mentor'),
        person('Ida Lund', ida, 'mentee'),
      ],
      pairs: [[lena, max]],
    });
    endedCohort = await seedCohort(deps, {
      id: 'inbound-ended',
      people: [person('Ella Berg', ella, 'mentee'), person('Finn Moe', finn, 'mentor')],
      pairs: [[ella, finn]],
    });
    await deps.store.updateCohort(cohort.id, { phase: 'running' });
    // Round 1 of the late cohort has closed (its digest went out): round 2 is under way.
    await deps.store.updateCohort(lateCohort.id, { phase: 'running', completedRounds: 1 });
    await deps.store.updateCohort(endedCohort.id, { phase: 'closed', completedRounds: 12 });
  });
  afterAll(() => table.drop());

  it('records a mentee’s genuine reply to their check-in against them and the round, with the answers', async () => {
    const sent = await sendWave({ cohortId: cohort.id, kind: 'check-in', round: 1 }, deps);
    expect(sent.summary.sent).toBe(8);
    const checkIn = (await capturedEmails([tom])).find((email) => email.subject.startsWith('Check-in 1 '));
    const to = await replyAddress(cohort.id, tom, 1);
    expect(to).toMatch(/^reply\+[a-z2-7]{16}@reply\.test\.localhost$/);
    expect(checkIn?.replyTo).toEqual([to]);

    // Anna's Gmail reply of the corpus, as Tom would send it to his own reply address.
    const raw = corpusMessage('gmail-web-positional-en.eml', {
      'reply+k7Qm2xWp9Z@in.tandem.example': to,
      'anna.schmidt@gmail.com': tom,
    });
    const result = await receive(raw, [to], { sesMessageId: 'ses-gmail-tom' });
    expect(result).toEqual({
      outcome: 'recorded',
      cohortId: cohort.id,
      round: 1,
      kind: 'reply',
      intent: 'continue',
    });
    const answer = await answerOf(cohort.id, tom, 1);
    expect(answer).toMatchObject({
      cohortId: cohort.id,
      round: 1,
      participantId: (await participant(cohort.id, tom)).participantId,
      email: tom,
      met: true,
      topics: ['SQL tuning', 'salary negotiation'],
      actionItems: ['update my CV', 'book a mock interview'],
      rating: 4,
      intent: 'continue',
    });
    expect(answer?.replies).toEqual([
      {
        messageId: '<CAJx9fL3q2V1yE0+P9kQmW7zN8Hh1G2rT4sUuVvWxYz0aBcDeFg@mail.gmail.com>',
        receivedAt: clock.now().toISOString(),
        text: expect.stringContaining('SQL tuning, salary negotiation'),
      },
    ]);
    expect(answer?.replies[0]?.text).not.toContain('Did you meet since last time?');
    // Nobody else's answer, and no other round's.
    expect(await answerOf(cohort.id, amara, 1)).toBeUndefined();
    expect(await answerOf(cohort.id, tom, 2)).toBeUndefined();
    // The action items are kept to be quoted back in the next check-in.
    expect(await participant(cohort.id, tom)).toMatchObject({
      lastActionItems: ['update my CV', 'book a mock interview'],
      lastActionItemsRound: 1,
    });
    const counts = await deps.inbound.counts(cohort.id);
    expect(counts.byOutcome.recorded).toBe(1);
    expect(counts.byKind.reply).toBe(1);
  });

  it('records a message delivered twice (SES or Lambda retry, same Message-ID) once, with no second side effect', async () => {
    const to = await replyAddress(cohort.id, tom, 1);
    const raw = corpusMessage('gmail-web-positional-en.eml', {
      'reply+k7Qm2xWp9Z@in.tandem.example': to,
      'anna.schmidt@gmail.com': tom,
    });
    const mailBefore = await mailCount([tom]);
    const noticesBefore = (await deps.notices.list(cohort.id)).length;

    // The Lambda retried with the same SES message…
    const retried = await receive(raw, [to], { sesMessageId: 'ses-gmail-tom' });
    // …and SES delivered the same message again under a new id.
    const redelivered = await receive(raw, [to], { receivedAt: new Date('2027-02-16T10:05:00Z') });
    for (const result of [retried, redelivered]) {
      expect(result).toMatchObject({ outcome: 'duplicate', cohortId: cohort.id, round: 1 });
    }
    const answer = await answerOf(cohort.id, tom, 1);
    expect(answer?.replies).toHaveLength(1);
    expect(answer?.updatedAt).toBe('2027-02-16T10:00:00.000Z');
    expect((await deps.inbound.counts(cohort.id)).byOutcome).toMatchObject({ recorded: 1 });
    expect((await deps.inbound.counts(cohort.id)).byOutcome.duplicate).toBeUndefined();
    expect(await mailCount([tom])).toBe(mailBefore);
    expect(await deps.notices.list(cohort.id)).toHaveLength(noticesBefore);
  });

  it('records a message delivered twice at the same time once, and its rematch request once, however often it comes', async () => {
    const to = await replyAddress(cohort.id, omar, 1);
    const raw = rawReply({
      from: 'Omar Haddad <omar@inbound.example>',
      to,
      body: 'yes\n\nRematch please, we have very different goals.',
    });
    const mailBefore = await mailCount([omar]);
    const results = await Promise.all([receive(raw, [to]), receive(raw, [to])]);
    expect(results.map((r) => r.outcome).sort()).toEqual(['duplicate', 'recorded']);
    expect((await answerOf(cohort.id, omar, 1))?.replies).toHaveLength(1);
    expect(await noticesOf(cohort.id, 'rematch-request')).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('Omar Haddad <omar@inbound.example> (mentor)'),
      }),
    ]);
    const confirmations = await mailTo([omar], mailBefore);
    expect(confirmations.map((email) => email.subject)).toEqual(['We are looking for a new match']);

    // Delivered once more an hour later (a new SES message id and time): still nothing new.
    const redelivered = await receive(raw, [to], { receivedAt: new Date('2027-02-16T11:00:00Z') });
    expect(redelivered).toMatchObject({ outcome: 'duplicate', intent: 'rematch' });
    expect(await noticesOf(cohort.id, 'rematch-request')).toHaveLength(1);
    expect(await mailTo([omar], mailBefore)).toHaveLength(1);
  });

  it('updates the answer with a second genuine reply to the same round and keeps both texts', async () => {
    const to = await replyAddress(cohort.id, tom, 1);
    const later = new Date('2027-02-17T08:30:00Z');
    const result = await receive(
      rawReply({
        from: 'Tom Hughes <tom@inbound.example>',
        to,
        body: 'Forgot one thing.\nRating: 5',
      }),
      [to],
      { receivedAt: later },
    );
    expect(result).toMatchObject({ outcome: 'updated', cohortId: cohort.id, round: 1, kind: 'reply' });
    const answer = await answerOf(cohort.id, tom, 1);
    expect(answer).toMatchObject({
      met: true,
      topics: ['SQL tuning', 'salary negotiation'],
      actionItems: ['update my CV', 'book a mock interview'],
      rating: 5,
      note: 'Forgot one thing.',
      updatedAt: later.toISOString(),
    });
    expect(answer?.replies.map((reply) => reply.text)).toEqual([
      expect.stringContaining('SQL tuning, salary negotiation'),
      'Forgot one thing.\nRating: 5',
    ]);
    expect(answer?.replies[1]?.receivedAt).toBe(later.toISOString());
  });

  it('reads what a genuine reply needs in one request after its key, and writes it in one: three in all', async () => {
    const to = await replyAddress(cohort.id, noah, 3);
    const recordedBefore = (await deps.inbound.counts(cohort.id)).byOutcome.recorded ?? 0;
    const requests = await requestsDuring(table.db, async () => {
      const result = await receive(
        rawReply({ from: 'Noah Levi <noah@inbound.example>', to, body: 'Yes, we met.\nRating: 4' }),
        [to],
      );
      expect(result).toMatchObject({ outcome: 'recorded', round: 3 });
    });
    // The key; its cohort, participant, answer and inbound record; the answer with its inbound entry.
    expect(requests).toEqual(['GetItemCommand', 'BatchGetItemCommand', 'TransactWriteItemsCommand']);
    expect((await answerOf(cohort.id, noah, 3))?.rating).toBe(4);
    expect((await deps.inbound.counts(cohort.id)).byOutcome.recorded).toBe(recordedBefore + 1);
  });

  it('keeps both replies when another was recorded after a reply’s context was read', async () => {
    const to = await replyAddress(cohort.id, kenji, 2);
    const target = await deps.replyKeys.resolve(to.slice('reply+'.length, to.indexOf('@')));
    if (!target) throw new Error('the reply key does not resolve');
    const stale = await deps.replyContexts.read(target, '<slow@mail.inbound.example>');
    expect(stale.answer).toBeNull();
    await receive(rawReply({ from: 'Kenji Sato <kenji@inbound.example>', to, body: 'Yes, we met.' }), [to]);

    const outcome = await deps.answers.recordReply(
      {
        cohortId: cohort.id,
        round: 2,
        participantId: target.participantId,
        email: kenji,
        content: replyContent({ rating: 3 }),
        messageId: '<slow@mail.inbound.example>',
        receivedAt: clock.now().toISOString(),
        text: 'Rating: 3',
      },
      stale.answer,
    );
    expect(outcome).toBe('updated');
    const answer = await answerOf(cohort.id, kenji, 2);
    expect(answer?.replies.map((reply) => reply.text)).toEqual(['Yes, we met.', 'Rating: 3']);
    expect(answer).toMatchObject({ met: true, rating: 3 });
  });

  it('holds a reply to a participant’s key from another sender for the organizer, never as their answer', async () => {
    const to = await replyAddress(cohort.id, tom, 2);
    const mailBefore = await mailCount(['mallory@attacker.example', tom]);
    for (const from of [
      'Tom Hughes <mallory@attacker.example>',
      'Tom Hughes <tom@inbound.example.attacker.net>',
    ]) {
      const result = await receive(
        rawReply({ from, to, body: 'no\nnothing\nnone\n1\n\nexit', subject: 'Re: Check-in 2 of 12' }),
        [to],
      );
      expect(result).toMatchObject({ outcome: 'held', cohortId: cohort.id, kind: 'reply' });
    }
    expect(await answerOf(cohort.id, tom, 2)).toBeUndefined();
    const tomNow = await participant(cohort.id, tom);
    expect(tomNow.exitedAt).toBeUndefined();
    expect((await deps.pairs.listPairs(cohort.id)).find((p) => p.menteeEmail === tom)?.status).toBe('active');
    const held = await noticesOf(cohort.id, 'held-reply');
    expect(held).toHaveLength(2);
    expect(held.map((notice) => notice.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^Held a message from mallory@attacker\.example \(it was sent to Tom Hughes’s reply address from another address\)/,
        ),
        expect.stringContaining('Held a message from tom@inbound.example.attacker.net'),
      ]),
    );
    expect(await noticesOf(cohort.id, 'exit')).toEqual([]);
    // Nothing is sent to the forger, nor to the participant.
    expect(await mailCount(['mallory@attacker.example', tom])).toBe(mailBefore);
  });

  it('accepts the participant writing from a plus-tagged, differently cased address', async () => {
    const to = await replyAddress(cohort.id, amara, 1);
    const result = await receive(
      rawReply({
        from: 'Amara Okafor <Amara+Mentoring@INBOUND.Example>',
        to: `Fixture Mentoring <${to}>`,
        body: 'Yes, we met on Tuesday.\nTom is making great progress.',
      }),
      [to],
    );
    expect(result).toMatchObject({ outcome: 'recorded', cohortId: cohort.id, round: 1, kind: 'reply' });
    const answer = await answerOf(cohort.id, amara, 1);
    expect(answer).toMatchObject({ email: amara, met: true, rating: null });
    expect(answer?.note).toContain('Tom is making great progress.');
  });

  it('holds a message SES marked as spam for the organizer, and drops a virus', async () => {
    const to = await replyAddress(cohort.id, tom, 3);
    const fromTom = () => rawReply({ from: `Tom Hughes <${tom}>`, to, body: 'yes\nSQL\nread\n4' });
    const spam = await receive(fromTom(), [to], { verdicts: { ...passed, spamVerdict: { status: 'FAIL' } } });
    expect(spam).toMatchObject({ outcome: 'held', cohortId: cohort.id });
    const virus = await receive(fromTom(), [to], {
      verdicts: { ...passed, virusVerdict: { status: 'FAIL' } },
    });
    expect(virus).toEqual({ outcome: 'dropped' });
    expect(await answerOf(cohort.id, tom, 3)).toBeUndefined();
    expect((await noticesOf(cohort.id, 'held-reply')).map((notice) => notice.message)).toContain(
      'Held a message from tom@inbound.example (SES verdict: spam): "yes SQL read 4"',
    );
  });

  it('holds a message sent to two pairs’ reply addresses for the organizer, never as an answer', async () => {
    const tomsKey = await replyAddress(cohort.id, tom, 4);
    const amarasKey = await replyAddress(cohort.id, amara, 4);
    const result = await receive(
      rawReply({ from: `Tom Hughes <${tom}>`, to: `${tomsKey}, ${amarasKey}`, body: 'yes\nSQL\nread\n4' }),
      [tomsKey, amarasKey],
    );
    expect(result).toMatchObject({ outcome: 'held' });
    expect(await answerOf(cohort.id, tom, 4)).toBeUndefined();
    expect(await answerOf(cohort.id, amara, 4)).toBeUndefined();
    expect((await noticesOf(cohort.id, 'held-reply')).map((notice) => notice.message)).toContain(
      'Held a message from tom@inbound.example (it was sent to more than one participant’s reply address): "yes SQL read 4"',
    );
  });

  it('answers an unknown reply key politely, at most once per sender and day', async () => {
    const stranger = 'stranger@elsewhere.example';
    const unknownKey = `reply+zzzzzzzzzzzzzzzz@${testSettings.inboundDomain}`;
    const message = (from: string) =>
      rawReply({ from: `Sam Stranger <${from}>`, to: unknownKey, body: 'yes\nSQL\nread a book\n4' });

    const first = await receive(message(stranger), [unknownKey]);
    expect(first).toEqual({ outcome: 'unknown_key', kind: 'reply', intent: 'continue' });
    const courtesies = await capturedEmails([stranger]);
    expect(courtesies).toHaveLength(1);
    const [courtesy] = courtesies;
    // Never the sender's own subject: Tandem's answer says nothing they chose.
    expect(courtesy?.subject).toBe('About your email to Tandem');
    expect(courtesy?.from).toContain(testSettings.fallbackSender);
    expect(courtesy?.body.text).toContain('Thanks for your email.');
    expect(courtesy?.body.text).toContain(
      'The address you replied to is not valid any more. Please reply to the most recent email you received from us.',
    );
    if (!courtesy) throw new Error('no courtesy reply');
    expect(header(courtesy, 'Auto-Submitted')).toBe('auto-replied');

    // The same day: another message (the same sender, however written) gets no second explanation.
    const again = await receive(message('Stranger+Mentoring@Elsewhere.Example'), [unknownKey], {
      receivedAt: new Date('2027-02-16T18:00:00Z'),
    });
    expect(again.outcome).toBe('unknown_key');
    expect(await capturedEmails([stranger])).toHaveLength(1);
    // The next day, one more.
    await receive(message(stranger), [unknownKey], { receivedAt: new Date('2027-02-17T09:00:00Z') });
    expect(await capturedEmails([stranger])).toHaveLength(2);

    // A message to no reply address at all is explained too, with the right reason.
    const lost = 'lost@elsewhere.example';
    const noKey = await receive(
      rawReply({ from: lost, to: `hello@${testSettings.inboundDomain}`, body: 'yes' }),
      [`hello@${testSettings.inboundDomain}`],
    );
    expect(noKey.outcome).toBe('unknown_key');
    const [explained] = await capturedEmails([lost]);
    expect(explained?.body.text).toContain('It was not sent to one of our reply addresses');
    // Nothing was recorded anywhere.
    expect((await deps.inbound.counts(cohort.id)).byOutcome.unknown_key).toBeUndefined();
  });

  it('never records nor answers an auto-reply or a bounce', async () => {
    const to = await replyAddress(cohort.id, sofia, 1);
    const unknownKey = `reply+qqqqqqqqqqqqqqqq@${testSettings.inboundDomain}`;
    const watched = [sofia, 'mailer-daemon@mx1.example.net', 'ooo@elsewhere.example'];
    const mailBefore = await mailCount(watched);
    const countsBefore = await deps.inbound.counts(cohort.id);

    const outOfOffice = await receive(
      rawReply({
        from: `Sofia Lind <${sofia}>`,
        to,
        subject: 'Out of Office: Check-in 1 of 12: how are things?',
        body: 'I am out of the office until March 1st with limited access to email.\nyes\n5',
        headers: { 'Auto-Submitted': 'auto-replied' },
      }),
      [to],
    );
    expect(outOfOffice).toMatchObject({ outcome: 'auto_reply', cohortId: cohort.id, kind: 'auto_reply' });
    const outlook = await receive(
      corpusMessage('outlook-out-of-office-en.eml', {
        'reply+Oo1Ex5Ch8A@in.tandem.example': to,
        'priya.nair@contoso.com': sofia,
      }),
      [to],
    );
    expect(outlook).toMatchObject({ outcome: 'auto_reply', cohortId: cohort.id });
    const bounce = await receive(
      corpusMessage('postfix-bounce.eml', { 'reply+Bp7Fx2Ms4F@in.tandem.example': to }),
      [to],
    );
    expect(bounce).toMatchObject({ outcome: 'bounce', cohortId: cohort.id, kind: 'bounce' });
    // Even to an unknown key, an automatic message gets no explanation (that is how loops start).
    const strayAutoReply = await receive(
      rawReply({
        from: 'ooo@elsewhere.example',
        to: unknownKey,
        subject: 'Automatic reply: hello',
        body: 'I am away.',
        headers: { 'Auto-Submitted': 'auto-replied' },
      }),
      [unknownKey],
    );
    expect(strayAutoReply.outcome).toBe('auto_reply');

    expect(await answerOf(cohort.id, sofia, 1)).toBeUndefined();
    expect(await mailCount(watched)).toBe(mailBefore);
    const counts = await deps.inbound.counts(cohort.id);
    expect(counts.byOutcome.auto_reply).toBe((countsBefore.byOutcome.auto_reply ?? 0) + 2);
    expect(counts.byOutcome.bounce).toBe((countsBefore.byOutcome.bounce ?? 0) + 1);
    expect((await participant(cohort.id, sofia)).undeliverableAt).toBeUndefined();
  });

  it('pauses a participant who replies “pause”, tells the organizer and confirms once', async () => {
    const to = await replyAddress(cohort.id, kenji, 1);
    const mailBefore = await mailCount([kenji]);
    const raw = rawReply({ from: `Kenji Sato <${kenji}>`, to, body: 'Please pause me for a month' });
    const result = await receive(raw, [to]);
    expect(result).toMatchObject({ outcome: 'recorded', intent: 'pause', round: 1 });
    expect((await participant(cohort.id, kenji)).pausedAt).toBe(clock.now().toISOString());
    expect(await noticesOf(cohort.id, 'pause')).toEqual([
      expect.objectContaining({
        message: 'Kenji Sato <kenji@inbound.example> (mentee) paused their check-ins.',
      }),
    ]);
    const confirmations = await mailTo([kenji], mailBefore);
    expect(confirmations.map((email) => email.subject)).toEqual(['Check-ins paused']);
    expect(confirmations[0]?.body.text).toContain('reply **resume** to this email');
    expect(confirmations[0]?.replyTo).toEqual([to]);
    expect((await answerOf(cohort.id, kenji, 1))?.intent).toBe('pause');
    // Asked again in another message: still one notice, one confirmation.
    await receive(rawReply({ from: `Kenji Sato <${kenji}>`, to, body: 'pause' }), [to]);
    expect(await noticesOf(cohort.id, 'pause')).toHaveLength(1);
    expect(await mailTo([kenji], mailBefore)).toHaveLength(1);
  });

  it('resumes a paused participant who replies “resume”, as the pause confirmation tells them to', async () => {
    const to = await replyAddress(cohort.id, kenji, 1);
    expect((await participant(cohort.id, kenji)).pausedAt).toBeDefined();
    const result = await receive(rawReply({ from: `Kenji Sato <${kenji}>`, to, body: 'resume' }), [to]);
    expect(result.outcome).toBe('updated');
    expect((await participant(cohort.id, kenji)).pausedAt).toBeUndefined();
    expect(await noticesOf(cohort.id, 'pause')).toEqual(
      expect.arrayContaining([expect.objectContaining({ message: expect.stringContaining('is back') })]),
    );
  });

  it('ends the pair of a participant who replies “exit” (no-fault), tells the organizer and confirms', async () => {
    const to = await replyAddress(cohort.id, lukas, 1);
    const mailBefore = await mailCount([lukas, kenji]);
    const result = await receive(
      rawReply({ from: `Lukas Becker <${lukas}>`, to, body: "I'd like to exit the program" }),
      [to],
    );
    expect(result).toMatchObject({ outcome: 'recorded', intent: 'exit', round: 1 });
    expect((await participant(cohort.id, lukas)).exitedAt).toBe(clock.now().toISOString());
    const pair = (await deps.pairs.listPairs(cohort.id)).find((p) => p.mentorEmail === lukas);
    expect(pair).toMatchObject({ status: 'ended', endReason: 'mentor left (no-fault exit)' });
    expect(
      (await deps.pairs.listPairs(cohort.id)).filter((p) => p.status === 'active' && p.mentorEmail === lukas),
    ).toEqual([]);
    // Kenji, left behind, waits for a new mentor.
    expect(
      (await deps.rematches.listRematches(cohort.id)).filter((r) => r.email === kenji).map((r) => r.reason),
    ).toEqual(['partner-exit']);
    expect(await noticesOf(cohort.id, 'exit')).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(
          /^Lukas Becker <lukas@inbound\.example> \(mentor\) left the program \(no-fault exit, by email\)/,
        ),
      }),
    ]);
    const sent = await mailTo([lukas, kenji], mailBefore);
    expect(sent.map((email) => [addressOf(email.destination.to[0] ?? ''), email.subject])).toEqual([
      [lukas, 'You have left Fixture Program'],
    ]);
  });

  it('passes a rematch request to the organizers and confirms it', async () => {
    const to = await replyAddress(cohort.id, mia, 1);
    const mailBefore = await mailCount([mia]);
    const result = await receive(
      rawReply({ from: `Mia Rossi <${mia}>`, to, body: 'I would like a new mentor please' }),
      [to],
    );
    expect(result).toMatchObject({ outcome: 'recorded', intent: 'rematch' });
    const requests = (await noticesOf(cohort.id, 'rematch-request')).map((notice) => notice.message);
    expect(requests).toContain(
      'Mia Rossi <mia@inbound.example> (mentee) asked for a new partner: "I would like a new mentor please"',
    );
    expect((await mailTo([mia], mailBefore)).map((email) => email.subject)).toEqual([
      'We are looking for a new match',
    ]);
    // Mia's pair has ended, at no one's fault, and she waits in the rematch queue for a new mentor.
    expect(
      (await deps.pairs.listPairs(cohort.id)).filter((p) => p.menteeEmail === mia && p.status === 'active'),
    ).toEqual([]);
    expect(
      (await deps.rematches.listRematches(cohort.id)).filter((r) => r.email === mia).map((r) => r.status),
    ).toEqual([expect.stringMatching(/^(queued|proposed)$/)]);
  });

  it('unsubscribes a participant who replies “unsubscribe”: they get no more email', async () => {
    const to = await replyAddress(cohort.id, noah, 1);
    const mailBefore = await mailCount([noah]);
    const result = await receive(rawReply({ from: `Noah Levi <${noah}>`, to, body: 'unsubscribe' }), [to]);
    expect(result).toMatchObject({ outcome: 'recorded', intent: 'unsubscribe' });
    expect((await participant(cohort.id, noah)).unsubscribedAt).toBe(clock.now().toISOString());
    expect(await noticesOf(cohort.id, 'unsubscribe')).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('Noah Levi <noah@inbound.example> (mentee) unsubscribed'),
      }),
    ]);
    expect(await mailTo([noah], mailBefore)).toEqual([]);

    const sofiaBefore = await mailCount([sofia]);
    await sendWave({ cohortId: cohort.id, kind: 'check-in', round: 2 }, deps);
    expect(await mailTo([noah], mailBefore)).toEqual([]);
    expect((await mailTo([sofia], sofiaBefore)).map((email) => email.subject)).toEqual([
      expect.stringMatching(/^Check-in 2 of \d+/),
    ]);
  });

  it('passes a reply to a closed round to the organizers instead of recording it, and explains', async () => {
    const to = await replyAddress(lateCohort.id, lena, 1);
    const result = await receive(
      rawReply({
        from: `Lena Vogel <${lena}>`,
        to,
        body: 'Sorry for the delay!\nyes\nSQL window functions\nfinish the course\n4',
      }),
      [to],
    );
    expect(result).toMatchObject({ outcome: 'round_closed', cohortId: lateCohort.id, round: 1 });
    expect(await answerOf(lateCohort.id, lena, 1)).toBeUndefined();
    expect((await participant(lateCohort.id, lena)).lastActionItems).toBeUndefined();
    expect(await noticesOf(lateCohort.id, 'held-reply')).toEqual([
      expect.objectContaining({
        message:
          'Lena Vogel answered check-in 1 after it closed: "Sorry for the delay! yes SQL window functions finish the course 4"',
      }),
    ]);
    const [courtesy, ...more] = await capturedEmails([lena]);
    expect(more).toEqual([]);
    expect(courtesy?.body.text).toContain(
      'Check-in 1 is closed, so we passed your answer to the organizers instead.',
    );
    expect(courtesy?.from).toContain('mentoring@example.org');
    // The current round is still open.
    const current = await replyAddress(lateCohort.id, lena, 2);
    expect(
      (await receive(rawReply({ from: lena, to: current, body: 'yes\nSQL\nread\n5' }), [current])).outcome,
    ).toBe('recorded');
  });

  it('passes a late reply that also asks to pause to the organizers, and pauses', async () => {
    const to = await replyAddress(lateCohort.id, max, 1);
    const result = await receive(
      rawReply({
        from: `Max Weber <${max}>`,
        to,
        body: 'yes\nShe is doing great, promoted last week.\n5\n\nPause for now, back in June',
      }),
      [to],
    );
    expect(result).toMatchObject({ outcome: 'round_closed', intent: 'pause' });
    expect((await participant(lateCohort.id, max)).pausedAt).toBeDefined();
    expect(await noticesOf(lateCohort.id, 'pause')).toHaveLength(1);
    expect(await noticesOf(lateCohort.id, 'held-reply')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          message: expect.stringContaining('Max Weber answered check-in 1 after it closed'),
        }),
      ]),
    );
  });

  it('explains a closed round to nobody who unsubscribes in that very reply', async () => {
    const to = await replyAddress(lateCohort.id, ida, 1);
    const result = await receive(
      rawReply({ from: `Ida Lund <${ida}>`, to, body: 'no\n\nPlease unsubscribe me, thanks.' }),
      [to],
    );
    expect(result).toMatchObject({ outcome: 'round_closed', intent: 'unsubscribe' });
    expect((await participant(lateCohort.id, ida)).unsubscribedAt).toBeDefined();
    expect(await noticesOf(lateCohort.id, 'held-reply')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ message: expect.stringContaining('Ida Lund answered') }),
      ]),
    );
    expect(await capturedEmails([ida])).toEqual([]);
  });

  it('explains to a participant of a closed cohort that check-ins are over, and records nothing', async () => {
    const to = await replyAddress(endedCohort.id, ella, 12);
    const result = await receive(rawReply({ from: `Ella Berg <${ella}>`, to, body: 'yes\nSQL\nread\n5' }), [
      to,
    ]);
    expect(result).toMatchObject({ outcome: 'cohort_closed', cohortId: endedCohort.id });
    expect(await answerOf(endedCohort.id, ella, 12)).toBeUndefined();
    await receive(rawReply({ from: `Ella Berg <${ella}>`, to, body: 'Did you get my answer?' }), [to]);
    const courtesies = await capturedEmails([ella]);
    expect(courtesies).toHaveLength(1);
    expect(courtesies[0]?.body.text).toContain(
      'Fixture Program has ended, so we no longer record check-ins.',
    );
    expect(courtesies[0]?.body.text).toContain(`write to grace@${endedCohort.id}.example`);
  });

  describe('through the Lambda handler SES invokes (raw message in the inbound-mail folder)', () => {
    let folder: string;
    let handler: (event: unknown, context: Context) => Promise<void>;

    beforeAll(async () => {
      folder = await mkdtemp(join(tmpdir(), 'tandem-inbound-test-'));
      setHandlerEnvironment(table, {
        INBOUND_DOMAIN: testSettings.inboundDomain,
        INBOUND_MAIL_DIR: folder,
        PUBLIC_API_URL: testSettings.publicUrl,
        FALLBACK_SENDER: testSettings.fallbackSender,
        POWERTOOLS_TRACE_ENABLED: 'false',
      });
      ({ handler } = await import('../../functions/events/inbound-email.ts'));
    });
    afterAll(() => rm(folder, { recursive: true, force: true }));

    /** The SES receipt rule's Lambda event for a stored message: verdicts all PASS. */
    const sesEvent = (messageId: string, to: string, from: string) =>
      sesReceiptEvent(messageId, to, from, '2027-02-18T07:45:00.000Z');
    const context = { functionName: 'inbound', awsRequestId: 'test' } as Context;

    it('reads the stored message and records the reply, once however often the event comes', async () => {
      const to = await replyAddress(cohort.id, mia, 2);
      const sesMessageId = 'o3k1ab5s7hq2f0inbound0test0001';
      await writeFile(
        join(folder, sesMessageId),
        rawReply({ from: `Mia Rossi <${mia}>`, to, body: 'yes\nportfolio review\nship the dashboard\n5' }),
      );
      await handler(sesEvent(sesMessageId, to, mia), context);
      await handler(sesEvent(sesMessageId, to, mia), context);
      const answer = await answerOf(cohort.id, mia, 2);
      expect(answer).toMatchObject({
        met: true,
        topics: ['portfolio review'],
        actionItems: ['ship the dashboard'],
        rating: 5,
        updatedAt: '2027-02-18T07:45:00.000Z',
      });
      expect(answer?.replies).toHaveLength(1);
    });

    it('fails (so Lambda retries) while the raw message is not stored yet', async () => {
      const to = await replyAddress(cohort.id, omar, 2);
      await expect(handler(sesEvent('not-stored-yet', to, omar), context)).rejects.toThrow(
        'The raw message not-stored-yet is not in the inbound-mail store (yet)',
      );
      expect(await answerOf(cohort.id, omar, 2)).toBeUndefined();
    });
  });
});

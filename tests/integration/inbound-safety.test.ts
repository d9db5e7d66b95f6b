import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseLedgerId } from '../../shared/email/outbound-email.ts';
import type { ReceiptVerdicts } from '../../shared/inbound/authentication-verdict.ts';
import { confirmApplication, unsubscribe } from '../../shared/use-cases/participant-links.ts';
import type { ReceiveDeps } from '../../shared/use-cases/receive-reply.ts';
import { receiveReply } from '../../shared/use-cases/receive-reply.ts';
import { recordDeliveryEvents } from '../../shared/use-cases/record-delivery-events.ts';
import { replyAddressOf } from '../../shared/use-cases/reply-address.ts';
import { submitApplication } from '../../shared/use-cases/submit-application.ts';
import { closeCohort } from '../../shared/workflow/close-steps.ts';
import { seedCohort } from '../support/cohort-fixture.ts';
import { authenticated, rawMessage, receiveDeps, unauthenticated } from '../support/inbound-mail.ts';
import { createTestTable, fixedClock } from '../support/local-table.ts';
import { type CapturedEmail, capturedEmails, header } from '../support/mail-deps.ts';

/**
 * What an email can make Tandem do, and to whom: destructive commands need a proven sender or
 * a click on a link; what follows a command happens even when the first attempt died halfway;
 * explanations go only to proven senders, never echo them, and are capped; reply keys end with
 * their cohort.
 */
const domain = 'safety.example';
const person = (name: string, role: 'mentor' | 'mentee') => ({
  name,
  email: `${name.split(' ')[0]?.toLowerCase()}@${domain}`,
  role,
});
const people = [
  person('Tom Hughes', 'mentee'),
  person('Amara Okafor', 'mentor'),
  person('Kenji Sato', 'mentee'),
  person('Lukas Becker', 'mentor'),
  person('Mia Rossi', 'mentee'),
  person('Omar Haddad', 'mentor'),
  person('Noah Levi', 'mentee'),
  person('Sofia Lind', 'mentor'),
  person('Ella Berg', 'mentee'),
  person('Finn Moe', 'mentor'),
];
const email = (first: string) => `${first}@${domain}`;

describe('inbound safety: commands, follow-ups, courtesy replies, reply keys', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let deps: ReceiveDeps;
  const clock = fixedClock('2027-02-16T10:00:00Z');
  let deliveries = 0;

  beforeAll(async () => {
    table = await createTestTable();
    deps = receiveDeps(table, clock);
    await seedCohort(deps, {
      id: 'safety',
      people,
      pairs: [
        [email('tom'), email('amara')],
        [email('kenji'), email('lukas')],
        [email('mia'), email('omar')],
        [email('noah'), email('sofia')],
        [email('ella'), email('finn')],
      ],
    });
    await deps.store.updateCohort('safety', { phase: 'running' });
  });
  afterAll(() => table.drop());

  const address = async (who: string, round = 1) =>
    (await replyAddressOf('safety', email(who), round, deps)).address;
  const receive = async (
    draft: { from: string; to: string; body: string; subject?: string; messageId?: string },
    verdicts: ReceiptVerdicts,
    options: { sesMessageId?: string; using?: ReceiveDeps } = {},
  ) =>
    receiveReply(
      {
        sesMessageId: options.sesMessageId ?? `ses-safety-${++deliveries}`,
        raw: rawMessage(draft),
        envelopeRecipients: [draft.to],
        verdicts,
        // A forger's envelope sender is their own (SPF passes for their domain, not the From's).
        mailFrom:
          verdicts === unauthenticated
            ? 'bounces@mailer.forger.example'
            : draft.from.replace(/^.*<([^>]+)>$/, '$1'),
        receivedAt: clock.now(),
      },
      options.using ?? deps,
    );
  const participant = async (who: string) => deps.store.getParticipant('safety', email(who));
  const notices = async (kind: string) => (await deps.notices.list('safety')).filter((n) => n.kind === kind);
  const kinds = async (who: string) =>
    (await capturedEmails([email(who)])).map((e) => parseLedgerId(header(e, 'X-Tandem-Message') ?? '')?.kind);
  const linkIn = (message: CapturedEmail | undefined, path: string) =>
    new RegExp(`/${path}/([a-z2-7]{22})`).exec(message?.body.text ?? '')?.[1] ?? 'none';
  /** The deps of a function that dies the first time it reaches `method` of `port`. */
  const dyingAt = <P extends 'notices' | 'pairs'>(port: P, method: keyof ReceiveDeps[P]) => {
    const target = deps[port] as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    const spy = vi.spyOn(target, method as string).mockRejectedValueOnce(new Error('the function crashed'));
    return () => spy.mockRestore();
  };

  describe('follow-ups run on every delivery, not only the first time the mark is set', () => {
    it('pause by reply: the crash came after the mark, the redelivery tells the organizers and confirms', async () => {
      const draft = {
        from: `Tom Hughes <${email('tom')}>`,
        to: await address('tom'),
        body: 'pause',
        messageId: '<pause-1@mail.safety.example>',
      };
      const restore = dyingAt('notices', 'post');
      await expect(receive(draft, authenticated, { sesMessageId: 'ses-pause' })).rejects.toThrow('crashed');
      restore();
      expect((await participant('tom'))?.pausedAt).toBeDefined();
      await receive(draft, authenticated, { sesMessageId: 'ses-pause' });
      expect(await notices('pause')).toHaveLength(1);
      expect(await kinds('tom')).toContain('pause-confirmation');
    });

    it('exit by reply: the crash came while ending the pair, the redelivery ends it, tells, confirms', async () => {
      const draft = {
        from: `Kenji Sato <${email('kenji')}>`,
        to: await address('kenji'),
        body: 'exit',
        messageId: '<exit-1@mail.safety.example>',
      };
      const restore = dyingAt('pairs', 'endPair');
      await expect(receive(draft, authenticated, { sesMessageId: 'ses-exit' })).rejects.toThrow('crashed');
      restore();
      expect((await participant('kenji'))?.exitedAt).toBeDefined();
      await receive(draft, authenticated, { sesMessageId: 'ses-exit' });
      const pair = (await deps.pairs.listPairs('safety')).find((p) => p.menteeEmail === email('kenji'));
      expect(pair?.status).not.toBe('active');
      expect(await notices('exit')).toHaveLength(1);
      expect(await kinds('kenji')).toContain('exit-confirmation');
    });

    it('unsubscribe by link: the retry after a crash tells the organizers, once', async () => {
      const token = (await participant('mia'))?.linkToken ?? '';
      const restore = dyingAt('notices', 'post');
      await expect(unsubscribe(token, deps)).rejects.toThrow('crashed');
      restore();
      await unsubscribe(token, deps);
      await unsubscribe(token, deps);
      expect((await notices('unsubscribe')).filter((n) => n.message.includes(email('mia')))).toHaveLength(1);
    });

    it('bounce and complaint events: the event retried after a crash tells the organizers, once', async () => {
      const bounce = { type: 'bounce' as const, bounceType: 'Permanent', recipients: [email('noah')] };
      const omar = await participant('omar');
      const complaint = {
        type: 'complaint' as const,
        recipients: [email('omar')],
        ledger: {
          cohortId: 'safety',
          recipientId: omar?.participantId ?? '',
          kind: 'check-in' as const,
          round: 1,
        },
      };
      const restore = dyingAt('notices', 'post');
      const failed = await recordDeliveryEvents([bounce], deps);
      expect(failed).toHaveLength(1);
      restore();
      const restoreAgain = dyingAt('notices', 'post');
      expect(await recordDeliveryEvents([complaint], deps)).toHaveLength(1);
      restoreAgain();
      // SQS delivers both again, twice.
      for (let i = 0; i < 2; i++) expect(await recordDeliveryEvents([bounce, complaint], deps)).toEqual([]);
      expect((await notices('bounce')).filter((n) => n.message.includes(email('noah')))).toHaveLength(1);
      expect((await notices('complaint')).filter((n) => n.message.includes(email('omar')))).toHaveLength(1);
    });
  });

  describe('exit and unsubscribe by email need a proven sender, or a click', () => {
    it('an unproven "exit" changes nothing, and the participant is asked to confirm by link', async () => {
      const result = await receive(
        { from: `Sofia Lind <${email('sofia')}>`, to: await address('sofia'), body: 'exit' },
        unauthenticated,
      );
      expect(result.intent).toBe('exit');
      expect((await participant('sofia'))?.exitedAt).toBeUndefined();
      expect(
        (await deps.pairs.listPairs('safety')).find((p) => p.mentorEmail === email('sofia'))?.status,
      ).toBe('active');
      const request = (await capturedEmails([email('sofia')])).at(-1);
      expect(request?.subject).toMatch(/leave/i);
      // Sofia meant it: she follows the link.
      const { exitByLink } = await import('../../shared/use-cases/participant-links.ts');
      await exitByLink(linkIn(request, 'exit'), deps);
      expect((await participant('sofia'))?.exitedAt).toBeDefined();
      expect(
        (await deps.pairs.listPairs('safety')).find((p) => p.mentorEmail === email('sofia'))?.status,
      ).not.toBe('active');
    });

    it('an unproven "unsubscribe" reply or one-click mail changes nothing; the email asks to confirm by link', async () => {
      await receive({ from: email('ella'), to: await address('ella'), body: 'unsubscribe' }, unauthenticated);
      const token = (await participant('finn'))?.linkToken ?? '';
      await receive(
        {
          from: email('finn'),
          to: `unsubscribe+${token}@reply.test.localhost`,
          body: 'unsubscribe',
          subject: 'unsubscribe',
        },
        unauthenticated,
      );
      expect((await participant('ella'))?.unsubscribedAt).toBeUndefined();
      expect((await participant('finn'))?.unsubscribedAt).toBeUndefined();
      const request = (await capturedEmails([email('ella')])).at(-1);
      expect(request?.body.text).toMatch(/\/unsubscribe\/[a-z2-7]{22}/);
    });

    it('a proven "unsubscribe" acts at once', async () => {
      await receive({ from: email('lukas'), to: await address('lukas'), body: 'unsubscribe' }, authenticated);
      expect((await participant('lukas'))?.unsubscribedAt).toBeDefined();
    });
  });

  describe('courtesy replies: only to proven senders, never echoing them, a few a day in all', () => {
    const stranger = (n: number) => `stranger${n}@elsewhere.example`;
    const toUnknown = (n: number) => ({
      from: stranger(n),
      to: 'reply+aaaaaaaaaaaaaaaa@reply.test.localhost',
      subject: `Buy cheap watches at spam.example ${n}`,
      body: 'Visit spam.example now',
    });

    it('never answers an unproven sender', async () => {
      const result = await receive(toUnknown(1), unauthenticated);
      expect(result.outcome).toBe('unknown_key');
      expect(await capturedEmails([stranger(1)])).toEqual([]);
    });

    it('answers a proven sender once a day, without their subject, and stops at the daily cap', async () => {
      const capped = { ...deps, settings: { ...deps.settings, courtesyRepliesPerDay: 2 } };
      for (const n of [2, 2, 3, 4]) await receive(toUnknown(n), authenticated, { using: capped });
      const [reply, ...more] = await capturedEmails([stranger(2)]);
      expect(more).toEqual([]);
      expect(reply?.subject).not.toContain('watches');
      expect(reply?.body.text).not.toContain('watches');
      expect(await capturedEmails([stranger(3)])).toHaveLength(1);
      expect(await capturedEmails([stranger(4)])).toEqual([]);
    });

    it('keeps its counts apart from every cohort, expiring, with no address in them', async () => {
      const tandem = await table.db.send(
        new QueryCommand({
          TableName: table.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': 'COHORT#tandem' },
        }),
      );
      expect(tandem.Items).toEqual([]);
      const { Items = [] } = await table.db.send(
        new QueryCommand({
          TableName: table.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': 'RATE#courtesy-sender' },
        }),
      );
      expect(Items.length).toBeGreaterThan(0);
      for (const item of Items) {
        expect(item.expiresAt).toBeGreaterThan(Date.parse('2027-02-16T10:00:00Z') / 1000);
        expect(JSON.stringify(item)).not.toMatch(/@/);
      }
    });
  });

  it('a change to an application is confirmed by replying "confirm" to the email about it', async () => {
    clock.set('2027-01-12T10:00:00Z');
    await deps.store.updateCohort('safety', { phase: 'intake' });
    const forged = {
      email: email('tom'),
      name: 'Tom Hughes',
      role: 'mentee',
      years_experience: 3,
      topics: 'machine learning',
      timezone: 'Europe/Berlin',
      consent: true,
    };
    await submitApplication('safety', forged, deps);
    expect((await participant('tom'))?.topics).toEqual(['data engineering', 'career change']);
    const change = (await capturedEmails([email('tom')])).find((e) => e.subject.includes('changes'));
    const to = change?.replyTo[0] ?? '';
    expect(to).toMatch(/^reply\+/);
    // A reply "confirm" to his older check-in changes nothing; to the change's email, it does.
    await receive({ from: email('tom'), to: await address('tom', 0), body: 'confirm' }, authenticated);
    expect((await participant('tom'))?.topics).toEqual(['data engineering', 'career change']);
    const result = await receive(
      { from: email('tom'), to, body: 'confirm', subject: `Re: ${change?.subject}` },
      authenticated,
    );
    expect(result.outcome).toBe('confirmed');
    expect((await participant('tom'))?.topics).toEqual(['machine learning']);
    await deps.store.updateCohort('safety', { phase: 'running' });
    clock.set('2027-02-16T10:00:00Z');
    void confirmApplication;
  });

  it('reply keys end with their cohort: a month after it closed, a key is unknown', async () => {
    const key = await address('amara', 2);
    await closeCohort({ cohortId: 'safety' }, deps);
    clock.set('2027-03-20T10:00:00Z');
    const resolved = await deps.replyKeys.resolve(/reply\+([a-z2-7]+)@/.exec(key)?.[1] ?? '', clock.now());
    expect(resolved).toBeUndefined();
    const result = await receive({ from: email('amara'), to: key, body: 'exit' }, authenticated);
    expect(result.outcome).toBe('unknown_key');
    expect((await participant('amara'))?.exitedAt).toBeUndefined();
  });
});

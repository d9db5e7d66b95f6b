import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  authenticationVerdict,
  isAuthenticatedSender,
  type ReceiptVerdicts,
} from '../../../shared/inbound/authentication-verdict.ts';
import { classifyMessage } from '../../../shared/inbound/classify-message.ts';
import { maxMessageBytes, maxMessageLines, parseMessage } from '../../../shared/inbound/parse-message.ts';
import { replyKeyOf, replyKeysIn } from '../../../shared/inbound/reply-key.ts';
import { isSameSender, normalizeSender } from '../../../shared/inbound/sender.ts';
import { understandReply } from '../../../shared/inbound/understand-reply.ts';
import { authenticated } from '../../support/verdicts.ts';

const email = (headers: string, body = 'yes') =>
  `From: Anna <anna@example.org>\r\nTo: reply+Abc12345xyz@in.tandem.example\r\n${headers}\r\n\r\n${body}\r\n`;

async function parsed(headers: string, body?: string) {
  const reading = await parseMessage(email(headers, body));
  if (!reading.ok) throw new Error(reading.problem);
  return reading.message;
}

describe('parseMessage', () => {
  it('reads headers, addresses and the decoded text', async () => {
    const message = await parsed(
      'Delivered-To: reply+Abc12345xyz@in.tandem.example\r\nCc: Marco <marco@example.org>\r\nSubject: =?UTF-8?Q?R=C3=A9ponse?=\r\nMessage-ID: <m1@example.org>\r\nIn-Reply-To: <c1@tandem.example>\r\nReferences: <c0@tandem.example> <c1@tandem.example>\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable',
      'Gr=FC=DFe',
    );
    expect(message).toMatchObject({
      from: { address: 'anna@example.org', name: 'Anna' },
      recipients: ['reply+Abc12345xyz@in.tandem.example', 'marco@example.org'],
      subject: 'Réponse',
      messageId: '<m1@example.org>',
      inReplyTo: '<c1@tandem.example>',
      references: ['<c0@tandem.example>', '<c1@tandem.example>'],
      text: 'Grüße\n',
    });
  });

  it('reads the signing domain of every DKIM signature, folded or not', async () => {
    const message = await parsed(
      'DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n d=Lovelace.CO.uk; s=sel; h=from:to; bh=abc=; b=def=\r\nDKIM-Signature: v=1; a=rsa-sha256; d=amazonses.com; s=x; b=y\r\nDKIM-Signature: v=1; a=rsa-sha256; s=no-domain; b=z',
    );
    expect(message.dkimDomains).toEqual(['lovelace.co.uk', 'amazonses.com']);
    expect((await parsed('Subject: unsigned')).dkimDomains).toEqual([]);
  });

  it.each([
    ['', 'it is empty'],
    ['\r\n\r\n', 'it is empty'],
    ['\x89PNG\r\n\x1a\n\0\0\0', 'it is a binary file'],
    ['name: Spring cohort\ncadence: weekly\n', 'it has no sender address (From:)'],
    ['Hello, this is just text.', 'it does not start with mail headers (such as From:)'],
  ])('says plainly why %j is not an email', async (raw, problem) => {
    expect(await parseMessage(raw)).toEqual({ ok: false, problem });
  });

  it('reads only the beginning of a message with more bytes or lines than it reads', async () => {
    for (const body of [`yes\r\n${'x'.repeat(maxMessageBytes)}`, `yes${'\r\n'.repeat(maxMessageLines)}no`]) {
      const reading = await parseMessage(email('Content-Type: text/plain', body));
      expect(reading.ok && reading.message).toMatchObject({
        truncated: true,
        text: expect.stringMatching(/^yes/),
      });
    }
    const small = await parseMessage(email('Content-Type: text/plain'));
    expect(small.ok && small.message.truncated).toBe(false);
  });
});

describe('classifyMessage', () => {
  it.each([
    ['Auto-Submitted: auto-replied', 'Auto-Submitted: auto-replied'],
    ['Auto-Submitted: auto-generated; owner-email="x@y"', 'Auto-Submitted: auto-generated'],
    ['X-Autoreply: yes', 'X-Autoreply header'],
    ['X-Autorespond: on', 'X-Autorespond header'],
    ['Precedence: bulk', 'Precedence: bulk'],
    ['Precedence: junk', 'Precedence: junk'],
    ['Precedence: list', 'Precedence: list'],
    ['Precedence: auto_reply', 'Precedence: auto_reply'],
    ['Subject: Out of Office: back on Monday', 'out-of-office subject'],
    ['Subject: Automatic reply: Your check-in', 'out-of-office subject'],
    ['Subject: Automatische Antwort: Your check-in', 'out-of-office subject'],
    ['Subject: Abwesenheitsnotiz', 'out-of-office subject'],
    ['Subject: Réponse automatique : Your check-in', 'out-of-office subject'],
    ['Subject: Respuesta automática: Your check-in', 'out-of-office subject'],
    ['Subject: Resposta automática: Your check-in', 'out-of-office subject'],
    ['Subject: Risposta automatica: Your check-in', 'out-of-office subject'],
    ['Subject: Automatisch antwoord: Your check-in', 'out-of-office subject'],
    ['Subject: Automatiskt svar: Your check-in', 'out-of-office subject'],
    ['Subject: Automatisk svar: Your check-in', 'out-of-office subject'],
    [
      'Content-Type: multipart/report; report-type=disposition-notification; boundary=b',
      'read receipt (report-type=disposition-notification)',
    ],
  ])('%s → auto_reply', async (header, reason) => {
    expect(classifyMessage(await parsed(header), true)).toEqual({ kind: 'auto_reply', reason });
  });

  it('treats Auto-Submitted: no as written by a person', async () => {
    expect(classifyMessage(await parsed('Auto-Submitted: no'), true).kind).toBe('reply');
  });

  it.each([
    [
      'Content-Type: multipart/report; report-type=delivery-status; boundary=b',
      'Content-Type: multipart/report; report-type=delivery-status',
    ],
    ['X-Failed-Recipients: old@example.org', 'X-Failed-Recipients header'],
  ])('%s → bounce', async (header, reason) => {
    expect(classifyMessage(await parsed(header), true)).toEqual({ kind: 'bounce', reason });
  });

  it.each(['MAILER-DAEMON@mx.example.org', 'postmaster@example.org', 'Mailer-Daemon@googlemail.com'])(
    'a message from %s is a bounce, even one that says it is an auto-reply',
    async (address) => {
      const reading = await parseMessage(
        `From: ${address}\r\nAuto-Submitted: auto-replied\r\n\r\nfailed\r\n`,
      );
      if (!reading.ok) throw new Error(reading.problem);
      expect(classifyMessage(reading.message, true).kind).toBe('bounce');
    },
  );

  it('says empty when nothing is left, and reply otherwise', async () => {
    const message = await parsed('Subject: Re: check-in');
    expect(classifyMessage(message, false).kind).toBe('empty');
    expect(classifyMessage(message, true).kind).toBe('reply');
  });
});

describe('reply keys', () => {
  it('finds the key in a reply address, at the inbound domain when one is given', () => {
    expect(replyKeyOf('reply+Abc12345xyz@in.tandem.example')).toBe('Abc12345xyz');
    expect(replyKeyOf('<Reply+Abc12345xyz@IN.tandem.example>', 'in.tandem.example')).toBe('Abc12345xyz');
    expect(replyKeyOf('reply+Abc12345xyz@elsewhere.example', 'in.tandem.example')).toBeNull();
    expect(replyKeyOf('reply+short@in.tandem.example')).toBeNull();
    expect(replyKeyOf('reply+has-dash123@in.tandem.example')).toBeNull();
    expect(replyKeyOf('anna@example.org')).toBeNull();
  });

  it('lists every distinct key, in the order of trust', () => {
    expect(
      replyKeysIn([
        'anna@example.org',
        'reply+Second123@t.example',
        'reply+First1234@t.example',
        'reply+Second123@t.example',
      ]),
    ).toEqual(['Second123', 'First1234']);
  });
});

describe('senders', () => {
  it('compares addresses without case or plus-tags', () => {
    expect(normalizeSender(' Anna.Schmidt+Mentoring@Example.ORG ')).toBe('anna.schmidt@example.org');
    expect(isSameSender('anna+x@example.org', 'ANNA@example.org')).toBe(true);
    expect(isSameSender('anna@example.org', 'anna@example.com')).toBe(false);
    expect(normalizeSender('+tag@example.org')).toBe('+tag@example.org');
  });
});

describe('authenticationVerdict', () => {
  const verdicts = (overrides: Partial<Record<keyof ReceiptVerdicts, unknown>> = {}): ReceiptVerdicts => ({
    ...authenticated,
    ...(overrides as Partial<ReceiptVerdicts>),
  });

  it.each([
    [{}, { action: 'accept', reason: 'passed' }],
    [{ virusVerdict: { status: 'FAIL' } }, { action: 'drop', reason: 'virus' }],
    [
      { spfVerdict: { status: 'FAIL' }, dkimVerdict: { status: 'FAIL' } },
      { action: 'drop', reason: 'spf_and_dkim_failed' },
    ],
    [{ spfVerdict: { status: 'FAIL' } }, { action: 'accept', reason: 'passed' }],
    [
      { dkimVerdict: { status: 'GRAY' }, spfVerdict: { status: 'FAIL' } },
      { action: 'accept', reason: 'passed' },
    ],
    [
      { dmarcVerdict: { status: 'FAIL' }, dmarcPolicy: 'reject' },
      { action: 'drop', reason: 'dmarc_reject' },
    ],
    [
      { dmarcVerdict: { status: 'FAIL' }, dmarcPolicy: 'quarantine' },
      { action: 'hold', reason: 'dmarc_quarantine' },
    ],
    [
      { dmarcVerdict: { status: 'FAIL' }, dmarcPolicy: 'none' },
      { action: 'accept', reason: 'passed' },
    ],
    [{ spamVerdict: { status: 'FAIL' } }, { action: 'hold', reason: 'spam' }],
  ])('%j → %j', (overrides, verdict) => {
    expect(authenticationVerdict(verdicts(overrides))).toEqual(verdict);
  });
});

describe('isAuthenticatedSender', () => {
  type Status = ReceiptVerdicts['spfVerdict']['status'];
  const receipt = (spf: Status, dkim: Status = 'GRAY', dmarc: Status = 'GRAY'): ReceiptVerdicts => ({
    spfVerdict: { status: spf },
    dkimVerdict: { status: dkim },
    dmarcVerdict: { status: dmarc },
    virusVerdict: { status: 'PASS' },
    spamVerdict: { status: 'PASS' },
  });
  const from = 'ada@lovelace.co.uk';

  it.each([
    ['DMARC passed', receipt('GRAY', 'GRAY', 'PASS'), { from, dkimDomains: [] }, true],
    [
      'SPF passed for the same domain',
      receipt('PASS'),
      { from, mailFrom: 'bounces@lovelace.co.uk', dkimDomains: [] },
      true,
    ],
    [
      'SPF passed for a subdomain (relaxed alignment)',
      receipt('PASS'),
      { from, mailFrom: 'b@mail.lovelace.co.uk', dkimDomains: [] },
      true,
    ],
    [
      'SPF passed for a mailing service, not the From domain',
      receipt('PASS'),
      { from, mailFrom: 'b@sendgrid.net', dkimDomains: [] },
      false,
    ],
    [
      'SPF passed for a sibling under the same public suffix',
      receipt('PASS'),
      { from, mailFrom: 'b@babbage.co.uk', dkimDomains: [] },
      false,
    ],
    ['SPF passed with no envelope sender known', receipt('PASS'), { from, dkimDomains: [] }, false],
    [
      'DKIM passed, signed by the From domain',
      receipt('FAIL', 'PASS'),
      { from, dkimDomains: ['lovelace.co.uk'] },
      true,
    ],
    [
      'DKIM passed, but one signature is by another domain',
      receipt('FAIL', 'PASS'),
      { from, dkimDomains: ['lovelace.co.uk', 'evil.example'] },
      false,
    ],
    ['DKIM passed with no signature header seen', receipt('FAIL', 'PASS'), { from, dkimDomains: [] }, false],
    ['DKIM failed though aligned', receipt('GRAY', 'FAIL'), { from, dkimDomains: ['lovelace.co.uk'] }, false],
    ['nothing passed', receipt('GRAY'), { from, mailFrom: from, dkimDomains: [] }, false],
    [
      'a From that is no address',
      receipt('PASS'),
      { from: 'not an address', mailFrom: 'x@y.example', dkimDomains: [] },
      false,
    ],
  ])('%s → %s', (_case, verdicts, evidence, expected) => {
    expect(isAuthenticatedSender(verdicts, evidence)).toBe(expected);
  });
});

describe('understandReply', () => {
  it('trusts the envelope recipients first and reports every key', async () => {
    const understood = await understandReply(email('Cc: reply+Other9876@in.tandem.example'), {
      envelopeRecipients: ['reply+Envelope12@in.tandem.example'],
    });
    expect(understood.ok && understood.reply).toMatchObject({
      replyKey: 'Envelope12',
      replyKeys: ['Envelope12', 'Abc12345xyz', 'Other9876'],
      sender: 'anna@example.org',
    });
  });

  it('gives no intent and no answers for what is not a reply', async () => {
    const understood = await understandReply(email('Auto-Submitted: auto-replied', 'yes\nSQL\nCV\n4'));
    expect(understood.ok && understood.reply).toMatchObject({
      kind: 'auto_reply',
      intent: null,
      answers: { met: null, topics: [], actionItems: [], rating: null },
      note: '',
      text: 'yes\nSQL\nCV\n4',
    });
  });

  it('never throws, whatever bytes arrive', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 2_000 }),
          fc.string({ maxLength: 2_000 }),
          fc
            .tuple(fc.string({ maxLength: 300 }), fc.string({ maxLength: 2_000 }))
            .map(([headers, body]) => `From: a@b.example\r\nContent-Type: ${headers}\r\n\r\n${body}`),
          fc
            .array(
              fc.constantFrom(
                '> ',
                'On 1 Jan 2027, A <a@b> wrote:\n',
                'yes\n',
                '1. ',
                'Topics: ',
                '-- \n',
                '\n',
                'pause',
                '<div class="gmail_quote">',
                '★',
                'From: x\nSent: y\nTo: z\n',
              ),
              { maxLength: 200 },
            )
            .map((parts) => `From: a@b.example\r\nContent-Type: text/plain\r\n\r\n${parts.join('')}`),
        ),
        async (raw) => {
          const understood = await understandReply(raw);
          expect(typeof understood.ok).toBe('boolean');
        },
      ),
      { numRuns: 300 },
    );
  });
});

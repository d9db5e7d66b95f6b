import { describe, expect, it } from 'vitest';
import { composeEmail } from '../../shared/email/compose-email.ts';
import { formatAddress } from '../../shared/email/email-address.ts';
import { messageKinds } from '../../shared/email/message-kinds.ts';
import { renderEmail } from '../../shared/email/render-email.ts';
import type { TandemError } from '../../shared/errors.ts';
import { parseProgram } from '../../shared/program/load-program.ts';
import { previewProgram } from '../../shared/use-cases/preview-program.ts';

const programYaml = `
name: Data Careers
id: data-careers
organizers: [{ name: Grace Hopper, email: grace@example.org }]
sender: { address: mentoring@example.org, name: Data Careers }
intake: { opens: 2027-01-04, closes: 2027-01-24 }
start: 2027-02-01
`;
const program = parseProgram(programYaml);
const settings = {
  inboundDomain: 'reply.example.org',
  publicUrl: 'https://api.example.org',
  fallbackSender: 'tandem@example.org',
};
const mentee = {
  recipientId: 'p1',
  name: 'Tom Hughes',
  email: 'tom@example.com',
  audience: 'mentee' as const,
  linkToken: 'abcdefghijklmnopqrstuv',
};
const partner = { name: 'Amara Okafor', firstName: 'Amara', email: 'amara@example.com' };

const checkIn = (overrides: Partial<Parameters<typeof composeEmail>[0]> = {}) =>
  composeEmail(
    {
      cohort: { id: 'data-careers', program },
      kind: 'check-in',
      round: 2,
      recipient: mentee,
      thread: 'pair-abc',
      replyKey: 'k'.repeat(16),
      context: { partner, round: { number: 2, total: 12 }, previousActionItems: ['Read chapter 3'] },
      ...overrides,
    },
    settings,
  );

describe('emails', () => {
  it('asks the mentee the check-in questions and quotes last round’s action items back', () => {
    const email = checkIn();
    expect(email.subject).toBe('Check-in 2 of 12: how are things with Amara?');
    expect(email.text).toContain('Just reply to this email — a line per question is enough.');
    for (const question of [
      'Did you meet',
      'one or two topics',
      'action items did you commit to',
      'from 1',
    ]) {
      expect(email.text).toContain(question);
    }
    expect(email.text).toContain('Last time you committed to:\n- Read chapter 3');
    for (const word of ['pause', 'exit', 'rematch', 'unsubscribe'])
      expect(email.text).toContain(`**${word}**`);
    expect(email.html).toContain('<li>Read chapter 3</li>');
    expect(email.html).toMatch(/<html lang="en">/);
  });

  it('gives the mentor a lighter check-in', () => {
    const email = checkIn({ recipient: { ...mentee, audience: 'mentor' } });
    expect(email.text).toContain('Two quick questions');
    expect(email.text).not.toContain('action items');
  });

  it('addresses replies, unsubscribes and threads with headers mail providers require', () => {
    const email = checkIn();
    expect(email.replyTo).toBe(`reply+${'k'.repeat(16)}@reply.example.org`);
    const headers = Object.fromEntries(email.headers.map((h) => [h.name, h.value]));
    expect(headers).toMatchObject({
      'Auto-Submitted': 'auto-generated',
      'X-Auto-Response-Suppress': 'All',
      'List-Unsubscribe':
        '<https://api.example.org/unsubscribe/abcdefghijklmnopqrstuv>, <mailto:unsubscribe+abcdefghijklmnopqrstuv@reply.example.org?subject=unsubscribe>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      References: '<pair-abc.data-careers@example.org>',
      'X-Tandem-Message': 'data-careers/p1/check-in/2',
    });
    expect(email.text).toContain(
      'To stop all emails from this program: https://api.example.org/unsubscribe/',
    );
  });

  it('refuses to build a message that expects a reply without a reply key', () => {
    expect(() => checkIn({ replyKey: undefined })).toThrow(/expects a reply/);
  });

  it('sends the digest without unsubscribe, from the organizer’s own reply address, each decision numbered with its commands', () => {
    const email = composeEmail(
      {
        cohort: { id: 'data-careers', program },
        kind: 'organizer-digest',
        round: 3,
        recipient: {
          recipientId: 'organizer-1',
          name: 'Grace Hopper',
          email: 'grace@example.org',
          audience: 'organizer',
        },
        thread: 'organizers',
        replyKey: 'organizerkey3',
        context: {
          digest: {
            round: 3,
            totalRounds: 12,
            sent: 4,
            answered: 3,
            pairs: 2,
            pairsMet: 1,
            groups: [
              {
                reason: 'at-risk',
                heading: 'Pairs at risk (the engagement ladder)',
                items: [
                  {
                    number: 1,
                    reason: 'at-risk',
                    pairId: 'pair-a-b',
                    title: 'A & B',
                    evidence: 'no meeting reported in 3 check-ins.',
                    commands: ['nudge 1', 'close 1', 'rematch 1'],
                  },
                ],
              },
            ],
            proposals: [],
            notices: [],
          },
        },
      },
      settings,
    );
    expect(email.replyTo).toBe(`reply+organizerkey3@${settings.inboundDomain}`);
    expect(email.headers.map((h) => h.name)).not.toContain('List-Unsubscribe');
    expect(email.text).toContain(
      '1. **A & B** — no meeting reported in 3 check-ins. Reply: `nudge 1` · `close 1` · `rematch 1`',
    );
    expect(email.text).toContain('**To act, reply to this email** with one command a line');
    // It carries what the organizer needs to decide: no pointer to the CLI.
    expect(email.text).not.toContain('tandem status');
  });

  it('never lets a participant’s name inject markup into the HTML part', () => {
    const email = checkIn({
      recipient: { ...mentee, name: '<script>alert(1)</script> *Tom*' },
      context: {
        partner: { ...partner, name: '[click](http://evil.example)' },
        round: { number: 2, total: 12 },
      },
    });
    expect(email.html).not.toContain('<script>');
    // A URL in a value may become a link, but only one that shows its own address.
    expect(email.html).not.toContain('>click</a>');
    expect(email.text).toContain('[click](http://evil.example)');
  });

  it('follows the program’s tone, signature and template overrides', () => {
    const formal = parseProgram(`${programYaml}
email:
  tone: formal
  signature: The Data Careers team
  templates:
    check-in.mentee:
      subject: "Round {{round.number}}: a word on {{partner.firstName}}"
`);
    const email = composeEmail(
      {
        cohort: { id: 'data-careers', program: formal },
        kind: 'check-in',
        round: 2,
        recipient: mentee,
        thread: 'pair-abc',
        replyKey: 'k'.repeat(16),
        context: { partner, round: { number: 2, total: 12 } },
      },
      settings,
    );
    expect(email.subject).toBe('Round 2: a word on Amara');
    expect(email.text).toMatch(/^Dear Tom Hughes,\n\n/);
    expect(email.text).toContain('Kind regards,\nThe Data Careers team');
  });

  it('reports a broken template override when the program is validated', () => {
    try {
      parseProgram(
        `${programYaml}\nemail:\n  templates:\n    nudge.mentee:\n      body: "{{#if x}} unclosed"\n    no-such-template: {}\n`,
      );
      expect.unreachable();
    } catch (error) {
      const paths = (error as TandemError).issues.map((issue) => issue.path);
      expect(paths).toEqual(
        expect.arrayContaining(['email.templates.nudge.mentee.body', 'email.templates.no-such-template']),
      );
    }
  });

  it('MIME-encodes non-ASCII display names, as SES requires', () => {
    expect(formatAddress({ name: 'Sofía Márquez', email: 's@example.com' })).toBe(
      '=?UTF-8?B?U29mw61hIE3DoXJxdWV6?= <s@example.com>',
    );
    expect(formatAddress({ name: 'Doe, Jane', email: 'j@example.com' })).toBe('"Doe, Jane" <j@example.com>');
  });

  it('renders the same message as text and as accessible HTML', () => {
    const rendered = renderEmail('thank-you', { program: { name: 'P' }, partner: { firstName: 'Ana' } });
    expect(rendered.text).toContain('Keep in touch with Ana');
    expect(rendered.html).toContain('role="article"');
    expect(rendered.html).toContain('Keep in touch with Ana');
  });
});

describe('preview', () => {
  it('covers every participant and organizer message kind over a 6-month cohort', () => {
    const entries = previewProgram(parseProgram(programYaml));
    const kinds = new Set(entries.map((entry) => entry.kind));
    expect([...messageKinds].filter((kind) => kind !== 'courtesy-reply' && !kinds.has(kind))).toEqual([]);
    const checkIns = entries.filter((e) => e.kind === 'check-in');
    expect(new Set(checkIns.map((e) => e.audience))).toEqual(new Set(['mentee', 'mentor']));
    const dates = entries.map((e) => e.sendAt.getTime());
    expect(dates).toEqual([...dates].sort((a, b) => a - b));
    expect(entries.at(-1)?.kind).toBe('thank-you');
  });
});

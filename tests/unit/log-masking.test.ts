import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { maskEmails } from '../../functions/mask-emails.ts';
import { instrumented, logger } from '../../functions/powertools.ts';

describe('maskEmails', () => {
  it.each([
    ['alice@example.org', 'a***@example.org'],
    [
      'Mail from Alice Smith <alice.smith@mail.example.co.uk>: thanks',
      'Mail from Alice Smith <a***@mail.example.co.uk>: thanks',
    ],
    ['reply+k7x2q9@reply.example.org', 'r***@reply.example.org'],
    [
      'Could not send check-in (round 3) to Bob.Jones@Example.ORG.',
      'Could not send check-in (round 3) to B***@Example.ORG.',
    ],
    ['to: "jo@example.org", cc: sam_o\'neil@example.org;', 'to: "j***@example.org", cc: s***@example.org;'],
    [
      'Held a message from noreply@bounce.example.com (spam)',
      'Held a message from n***@bounce.example.com (spam)',
    ],
    ['accented: zoë@exämple.de, ok', 'accented: z***@exämple.de, ok'],
  ])('masks %s', (text, masked) => {
    expect(maskEmails(text)).toBe(masked);
  });

  it.each([
    'no address here',
    'an @mention on its own',
    'root@localhost has no domain to keep',
    'pair a@b',
    '',
  ])('leaves text without an address as it is: %s', (text) => {
    expect(maskEmails(text)).toBe(text);
  });

  it('never lets an address through, wherever it stands in the text', () => {
    const localPart = fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,20}$/);
    const domain = fc.stringMatching(/^[a-z0-9]{1,10}(\.[a-z0-9]{1,10}){0,2}\.[a-z]{2,6}$/);
    // What stands around an address in a log: words, and separators no address can contain.
    const filler = fc
      .array(
        fc.oneof(
          fc.constantFrom(' ', ', ', ': ', ' <', '> ', '(', ') ', '"', '\n'),
          fc.lorem({ maxCount: 1 }),
        ),
        {
          maxLength: 6,
        },
      )
      .map((parts) => ` ${parts.join('')} `);
    fc.assert(
      fc.property(localPart, domain, filler, filler, (local, host, before, after) => {
        const address = `${local}@${host}`;
        const masked = maskEmails(`${before}${address}${after}`);
        expect(masked).not.toContain(address);
        expect(masked).toBe(`${before}${local[0]}***@${host}${after}`);
      }),
    );
  });

  it('reads hostile text in one pass: long runs of local-part characters, at-signs, dots', () => {
    const n = 200_000;
    expect(maskEmails('a'.repeat(n))).toHaveLength(n);
    expect(maskEmails('@'.repeat(n))).toHaveLength(n);
    expect(maskEmails(`${'a'.repeat(n)}@${'b.'.repeat(n)}`)).toBe(`a***@${'b.'.repeat(n - 1)}b.`);
    expect(maskEmails('a@'.repeat(n))).toHaveLength(2 * n);
  });
});

describe('the Powertools logger', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** Every log line the logger writes during `run`, as one string. */
  const captured = async (run: () => Promise<void> | void) => {
    const lines: string[] = [];
    const capture = (chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    };
    vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    await run();
    return lines.join('');
  };

  it('masks addresses in messages, attributes, nested values and errors', async () => {
    const output = await captured(() => {
      logger.info('inbound message from carol@example.org', {
        sender: 'carol@example.org',
        reply: { to: ['dan@example.net'] },
      });
      logger.error('request failed', new Error('No participant erin@example.com in this cohort'));
    });
    expect(output).toContain('c***@example.org');
    expect(output).toContain('d***@example.net');
    expect(output).toContain('e***@example.com');
    expect(output).not.toMatch(/carol@|dan@|erin@/);
  });

  it('masks an error that escapes a handler, keeping its name for the workflow’s retries', async () => {
    class MessagesInFlight extends Error {
      override name = 'MessagesInFlight';
    }
    const handler = instrumented(async () => {
      throw new MessagesInFlight('Still sending to frank@example.org');
    });
    const error = await handler({}, {} as never).catch((thrown: Error) => thrown);
    expect(error).toBeInstanceOf(MessagesInFlight);
    expect(error).toMatchObject({ name: 'MessagesInFlight', message: 'Still sending to f***@example.org' });
    expect(String((error as Error).stack)).not.toContain('frank@');
  });
});

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, stackTraceLine } from '../support/cli.ts';
import { tempDir } from '../support/temp-dirs.ts';

const corpus = 'tests/fixtures/replies';

describe('tandem parse-reply', () => {
  it('prints exactly what Tandem understood, as JSON', async () => {
    const result = await runCli(['parse-reply', `${corpus}/gmail-web-positional-en.eml`, '--json']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(Object.keys(json).slice(0, 5)).toEqual(['kind', 'text', 'intent', 'answers', 'replyKey']);
    expect(json).toMatchObject({
      kind: 'reply',
      intent: 'continue',
      answers: {
        met: true,
        topics: ['SQL tuning', 'salary negotiation'],
        actionItems: ['update my CV', 'book a mock interview'],
        rating: 4,
      },
      replyKey: 'k7Qm2xWp9Z',
      note: '',
    });
    expect(json.text).not.toContain('Did you meet');
    expect(json.confidence).toEqual({
      met: 'high',
      topics: 'high',
      actionItems: 'high',
      rating: 'high',
      intent: 'high',
    });
  });

  it('reads answers said in prose, flags what it is unsure of, and leaves doubt to the organizers', async () => {
    const prose = JSON.parse(
      (await runCli(['parse-reply', `${corpus}/heldout-quick-call-en.eml`, '--json'])).stdout,
    );
    expect(prose).toMatchObject({ intent: 'continue', answers: { met: true, rating: 4 } });
    expect(prose.confidence).toMatchObject({ met: 'low', rating: 'low' });

    const doubt = await runCli(['parse-reply', `${corpus}/gmail-maybe-pause-en.eml`]);
    expect(doubt.stdout).toMatch(
      /intent: +\(unclear: left to the organizers\) +\(low confidence: check the note\)/,
    );
    const resume = JSON.parse(
      (await runCli(['parse-reply', `${corpus}/gmail-back-carry-on-en.eml`, '--json'])).stdout,
    );
    expect(resume.intent).toBe('resume');
  });

  it('explains it for a person by default, and says when a message never counts', async () => {
    const reply = await runCli(['parse-reply', `${corpus}/outlook-web-pause-en.eml`]);
    expect(reply.code).toBe(0);
    expect(reply.stdout).toContain('reply (new text from the sender)');
    expect(reply.stdout).toMatch(/intent: +pause/);
    expect(reply.stdout).toContain("| Starting a new job on Monday — I'll be back in April.");

    const bounce = await runCli(['parse-reply', `${corpus}/postfix-bounce.eml`]);
    expect(bounce.stdout).toContain('bounce (Content-Type: multipart/report; report-type=delivery-status)');
    expect(bounce.stdout).toContain('never counted as an answer, never answered');
  });

  it('only takes a reply key at the inbound domain when one is given', async () => {
    const other = await runCli([
      'parse-reply',
      `${corpus}/iphone-stop.eml`,
      '--json',
      '--inbound-domain',
      'other.example',
    ]);
    expect(JSON.parse(other.stdout)).toMatchObject({ replyKey: null, intent: 'unsubscribe' });
  });

  it('says plainly what is wrong with a missing file, a non-email and a wrong option, without a stack trace', async () => {
    const missing = await runCli(['parse-reply', 'nope.eml']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe('Error: The message file nope.eml does not exist.');

    const dir = tempDir('tandem-');
    const notEmail = join(dir, 'notes.txt');
    writeFileSync(notEmail, 'Remember to reply to the check-in.\n');
    const garbage = await runCli(['parse-reply', notEmail]);
    expect(garbage.code).toBe(1);
    expect(garbage.stderr).toContain(
      `Error: ${notEmail} is not an email Tandem can read: it does not start with mail headers`,
    );
    expect(garbage.stderr).toContain('Show original');

    const role = await runCli(['parse-reply', `${corpus}/iphone-stop.eml`, '--role', 'organizer']);
    expect(role.code).toBe(1);
    expect(role.stderr).toContain('Allowed choices are mentee, mentor');
    for (const result of [missing, garbage, role]) expect(result.stderr).not.toMatch(stackTraceLine);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { understandReply } from '../../../shared/inbound/understand-reply.ts';

/**
 * Every message in tests/fixtures/replies is read as the Lambda and `tandem parse-reply`
 * read it, and must give exactly what its `.expected.json` says.
 */
const corpus = join(import.meta.dirname, '..', '..', 'fixtures', 'replies');
const names = readdirSync(corpus)
  .filter((file) => file.endsWith('.eml'))
  .map((file) => file.slice(0, -'.eml'.length))
  .sort();

describe('reply corpus', () => {
  it('holds realistic messages of every kind', () => {
    expect(names.length).toBeGreaterThanOrEqual(40);
    const kinds = names.map(
      (name) => JSON.parse(readFileSync(join(corpus, `${name}.expected.json`), 'utf8')).kind as string,
    );
    expect(new Set(kinds)).toEqual(new Set(['reply', 'auto_reply', 'bounce', 'empty']));
  });

  it.each(names)('%s', async (name) => {
    const expected = JSON.parse(readFileSync(join(corpus, `${name}.expected.json`), 'utf8'));
    const understood = await understandReply(readFileSync(join(corpus, `${name}.eml`)), {
      inboundDomain: 'in.tandem.example',
    });
    if (!understood.ok) throw new Error(understood.problem);
    const { kind, text, intent, answers, replyKey, note } = understood.reply;
    expect({ kind, text, intent, answers, replyKey, note }).toEqual(expected);
  });
});

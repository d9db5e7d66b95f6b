import { describe, expect, it } from 'vitest';
import { corpusNames, readEntry } from '../../support/reply-corpus.ts';

/**
 * Every message in tests/fixtures/replies is read as the Lambda and `tandem parse-reply`
 * read it. A message whose `.expected.json` pins its note down must give exactly that; the
 * whole corpus is scored against the targets (see `npm run eval:replies`).
 */
const names = corpusNames();

describe('reply corpus', () => {
  it('holds realistic messages of every kind', async () => {
    expect(names.length).toBeGreaterThanOrEqual(250);
    const kinds = await Promise.all(names.map(async (name) => (await readEntry(name)).expected.kind));
    expect(new Set(kinds)).toEqual(new Set(['reply', 'auto_reply', 'bounce', 'empty']));
  });

  it.each(names)('%s', async (name) => {
    const { expected, actual } = await readEntry(name);
    if (expected.note === undefined) return;
    const { kind, text, intent, answers, replyKey, note } = actual;
    expect({ kind, text, intent, answers, replyKey, note }).toEqual(expected);
  });
});

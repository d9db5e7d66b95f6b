import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CorpusEntry,
  corpusNames,
  percent,
  readCorpus,
  readEntry,
  scoreCorpus,
  targets,
} from '../../support/reply-corpus.ts';

/**
 * Every message in tests/fixtures/replies is read as the Lambda and `tandem parse-reply`
 * read it. The whole corpus is scored against the targets (the figures and the misses:
 * `npm run eval:replies`); a message whose `.expected.json` pins its note down must give
 * exactly that.
 */
const names = corpusNames();

describe('reply corpus', () => {
  let entries: CorpusEntry[];
  beforeAll(async () => {
    entries = await readCorpus();
  });

  it('holds realistic messages of every kind', () => {
    expect(names.length).toBeGreaterThanOrEqual(250);
    expect(new Set(entries.map((entry) => entry.expected.kind))).toEqual(
      new Set(['reply', 'auto_reply', 'bounce', 'empty']),
    );
  });

  it('meets the accuracy targets per field', () => {
    const { scores } = scoreCorpus(entries);
    const below = scores.flatMap((score) => {
      const target = targets[score.field];
      return target !== undefined && percent(score) < target
        ? [`${score.field}: ${percent(score).toFixed(1)}% < ${target}%`]
        : [];
    });
    expect(below).toEqual([]);
  });

  it('never pauses, removes or unsubscribes someone who did not ask', () => {
    expect(scoreCorpus(entries).harmful).toEqual([]);
  });

  it.each(names)('%s', async (name) => {
    const { expected, actual } = await readEntry(name);
    if (expected.note === undefined) return;
    const { kind, text, intent, answers, replyKey, note } = actual;
    expect({ kind, text, intent, answers, replyKey, note }).toEqual(expected);
  });
});

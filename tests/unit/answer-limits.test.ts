import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Answer, mergeReply, type ReplyContent } from '../../shared/cohorts/answer.ts';
import {
  answerLimits,
  boundedAnswer,
  cutToBytes,
  storedMessageId,
} from '../../shared/cohorts/answer-limits.ts';

/** DynamoDB's own accounting of an item's size (its developer guide): names plus values. */
function itemSize(item: Record<string, AttributeValue>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += Buffer.byteLength(name) + valueSize(value);
  return size;
}
function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return 21;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.L !== undefined) return 3 + value.L.reduce((sum, v) => sum + 1 + valueSize(v), 0);
  if (value.M !== undefined) return 3 + itemSize(value.M) + Object.keys(value.M).length;
  throw new Error(`unexpected attribute ${JSON.stringify(value)}`);
}

/** Text as people write it, of any length: plain, accented, symbols, emoji, mixed. */
const text = (max: number) =>
  fc.oneof(
    fc.string({ maxLength: 200, unit: 'grapheme' }),
    fc
      .tuple(fc.constantFrom('a', 'é', '€', '😀', 'word ', '中文'), fc.nat({ max }))
      .map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length))),
  );
const content: fc.Arbitrary<ReplyContent> = fc.record({
  met: fc.option(fc.boolean(), { nil: null }),
  topics: fc.array(text(3_000), { maxLength: 40 }),
  actionItems: fc.array(text(5_000), { maxLength: 40 }),
  rating: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
  intent: fc.constantFrom(null, 'continue', 'pause'),
  note: text(70_000),
});
const reply = fc.record({ content, text: text(70_000), messageId: text(3_000) });

describe('an answer item stays under DynamoDB’s 400 KB, however chatty the pair', () => {
  it('after any sequence of replies, merged and bounded as the store does it', () => {
    fc.assert(
      fc.property(fc.array(reply, { minLength: 1, maxLength: 90 }), (replies) => {
        let answer: Answer | undefined;
        for (const [n, r] of replies.entries()) {
          answer = boundedAnswer({
            ...mergeReply(answer, r.content),
            cohortId: 'data-careers-spring-2027',
            round: 12,
            participantId: 'abcdefghijkl',
            email: `${'x'.repeat(64)}@${'y'.repeat(180)}.example`,
            replies: [
              ...(answer?.replies ?? []),
              { messageId: r.messageId, receivedAt: new Date(n).toISOString(), text: r.text },
            ],
            updatedAt: new Date(n).toISOString(),
          });
        }
        const item = marshall(
          {
            pk: 'COHORT#data-careers-spring-2027',
            sk: 'ANSWER#012#abcdefghijkl',
            type: 'answer',
            ...answer,
            version: 90,
          },
          { removeUndefinedValues: true },
        );
        expect(itemSize(item)).toBeLessThan(300_000);
      }),
      { numRuns: 40 },
    );
  });

  it('cuts text on a character boundary, never half an emoji, and marks the cut', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), fc.nat({ max: 600 }), (s, bytes) => {
        const cut = cutToBytes(s, bytes);
        expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(Math.max(bytes, 0));
        if (cut === s) return;
        expect(cut === '' || cut.endsWith(' […]')).toBe(true);
        expect(s.startsWith(cut.replace(/ \[…\]$/, ''))).toBe(true);
        expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
      }),
    );
  });

  it('keeps short Message-IDs as they are and hashes long ones', () => {
    expect(storedMessageId('<a@b>')).toBe('<a@b>');
    const long = `<${'m'.repeat(answerLimits.messageIdChars)}@x>`;
    expect(storedMessageId(long)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(storedMessageId(long)).toBe(storedMessageId(long));
  });
});

import { describe, expect, it } from 'vitest';
import { mergeReply, type ReplyContent } from '../../shared/cohorts/answer.ts';
import { replyContent } from '../support/reply-content.ts';

const reply = (content: Partial<ReplyContent>): ReplyContent =>
  replyContent({ intent: 'continue', ...content });

describe('mergeReply', () => {
  it('keeps each answer with the confidence of the reply it came from', () => {
    const first = reply({
      met: true,
      rating: 4,
      note: 'Had a quick call, a solid 4.',
      confidence: { met: 'low', topics: 'high', actionItems: 'high', rating: 'low', intent: 'high' },
    });
    const second = reply({
      rating: 5,
      intent: 'pause',
      confidence: { met: 'high', topics: 'high', actionItems: 'high', rating: 'high', intent: 'high' },
    });
    expect(mergeReply(first, second)).toEqual({
      met: true,
      topics: [],
      actionItems: [],
      rating: 5,
      intent: 'pause',
      note: 'Had a quick call, a solid 4.',
      confidence: { met: 'low', topics: 'high', actionItems: 'high', rating: 'high', intent: 'high' },
    });
  });

  it('treats an answer stored before confidence was read as sure, and leaves none where neither has one', () => {
    const merged = mergeReply(
      reply({ met: false }),
      reply({
        rating: 2,
        confidence: { met: 'high', topics: 'high', actionItems: 'high', rating: 'low', intent: 'high' },
      }),
    );
    expect(merged.confidence).toEqual({
      met: 'high',
      topics: 'high',
      actionItems: 'high',
      rating: 'low',
      intent: 'high',
    });
    expect(mergeReply(reply({ met: true }), reply({ rating: 3 })).confidence).toBeUndefined();
  });

  it('lets a later "resume" replace a pause, and a later plain answer keep it', () => {
    expect(mergeReply(reply({ intent: 'pause' }), reply({ intent: 'resume' })).intent).toBe('resume');
    expect(mergeReply(reply({ intent: 'pause' }), reply({ intent: 'continue', met: true })).intent).toBe(
      'pause',
    );
  });
});

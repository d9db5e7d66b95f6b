import type { ReplyContent } from '../../shared/cohorts/answer.ts';

/** A reply's content with nothing answered, except what `content` says. */
export const replyContent = (content: Partial<ReplyContent> = {}): ReplyContent => ({
  met: null,
  topics: [],
  actionItems: [],
  rating: null,
  intent: null,
  note: '',
  ...content,
});

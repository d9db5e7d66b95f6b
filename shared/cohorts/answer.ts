/** What a participant's reply says, as understood by the inbound pipeline. */
export type Intent = 'continue' | 'pause' | 'exit' | 'rematch' | 'unsubscribe';

/** What a participant wants next, asked in the mid-point survey. */
export const midpointDecisions = ['continue', 'change-focus', 'rematch', 'end'] as const;
export type MidpointDecision = (typeof midpointDecisions)[number];

/** The answers that only the mid-point and close-out surveys ask for. */
export interface SurveyAnswers {
  /** Mid-point: how useful the pairing has been so far, 1–5. */
  usefulness?: number | null;
  /** Mid-point: continue, change focus, rematch or end. */
  decision?: MidpointDecision | null;
  /** Mid-point: the one thing that would help, verbatim. */
  help?: string | null;
  /** Close-out: how likely they are to recommend the program to a friend, 0–10 (NPS). */
  nps?: number | null;
}

export interface ReplyContent {
  met: boolean | null;
  topics: string[];
  actionItems: string[];
  rating: number | null;
  intent: Intent | null;
  /** Everything the participant wrote that fits no answer, verbatim. */
  note: string;
  /** Survey rounds only (mid-point, close-out). */
  survey?: SurveyAnswers;
}

/** A participant's answer to one round, built from one or more replies. */
export interface Answer extends ReplyContent {
  cohortId: string;
  round: number;
  participantId: string;
  email: string;
  /** Every reply's new text, in arrival order: nothing the participant wrote is lost. */
  replies: { messageId: string; receivedAt: string; text: string }[];
  updatedAt: string;
}

/**
 * A later reply to the same round refines the answer: what it says replaces what the earlier
 * one said, what it leaves out keeps the earlier value, and notes accumulate.
 */
export function mergeReply(previous: ReplyContent | undefined, next: ReplyContent): ReplyContent {
  if (!previous) return next;
  return {
    met: next.met ?? previous.met,
    topics: next.topics.length > 0 ? next.topics : previous.topics,
    actionItems: next.actionItems.length > 0 ? next.actionItems : previous.actionItems,
    rating: next.rating ?? previous.rating,
    intent: next.intent && next.intent !== 'continue' ? next.intent : (previous.intent ?? next.intent),
    note: [previous.note, next.note].filter(Boolean).join('\n\n'),
  };
}

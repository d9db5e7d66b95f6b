/** What a participant's reply says, as understood by the inbound pipeline. */
export type Intent = 'continue' | 'pause' | 'resume' | 'exit' | 'rematch' | 'unsubscribe';

/**
 * How sure the reading of each answer is: `low` when it was read from prose or guessed from
 * the answers' positions, or when something was said that could not be read with certainty
 * (the value is then null). Organizers see low-confidence answers listed instead of guessed.
 */
export type Confidence = 'high' | 'low';
export type AnswerConfidence = Record<'met' | 'topics' | 'actionItems' | 'rating' | 'intent', Confidence>;

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
  /** How sure each answer's reading is; absent on answers stored before it was read. */
  confidence?: AnswerConfidence;
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
  const takesNext = {
    met: next.met !== null,
    topics: next.topics.length > 0,
    actionItems: next.actionItems.length > 0,
    rating: next.rating !== null,
    intent: Boolean(next.intent && next.intent !== 'continue') || !previous.intent,
  };
  const merged: ReplyContent = {
    met: takesNext.met ? next.met : previous.met,
    topics: takesNext.topics ? next.topics : previous.topics,
    actionItems: takesNext.actionItems ? next.actionItems : previous.actionItems,
    rating: takesNext.rating ? next.rating : previous.rating,
    intent: takesNext.intent ? next.intent : previous.intent,
    note: [previous.note, next.note].filter(Boolean).join('\n\n'),
  };
  // A later reply's survey answers replace the earlier ones they give; the rest stay.
  if (previous.survey || next.survey) {
    const given = Object.entries(next.survey ?? {}).filter(
      ([, value]) => value !== null && value !== undefined,
    );
    merged.survey = { ...previous.survey, ...Object.fromEntries(given) };
  }
  // Each answer keeps the confidence of the reply its value came from.
  if (previous.confidence || next.confidence) {
    const high = {
      met: 'high',
      topics: 'high',
      actionItems: 'high',
      rating: 'high',
      intent: 'high',
    } as const;
    const [before, after] = [previous.confidence ?? high, next.confidence ?? high];
    merged.confidence = {
      met: takesNext.met ? after.met : before.met,
      topics: takesNext.topics ? after.topics : before.topics,
      actionItems: takesNext.actionItems ? after.actionItems : before.actionItems,
      rating: takesNext.rating ? after.rating : before.rating,
      intent: takesNext.intent ? after.intent : before.intent,
    };
  }
  return merged;
}

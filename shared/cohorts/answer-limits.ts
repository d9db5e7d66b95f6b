import { createHash } from 'node:crypto';
import type { Answer } from './answer.ts';

/**
 * An answer is one DynamoDB item, and an item holds 400 KB: however chatty a pair, what is
 * stored of a round's answer stays far under that (about 250 KB at most), so no reply can make
 * the item unwritable and fail forever. Each reply keeps its first 16 KB; all replies together
 * keep 200 KB of text, the first replies first; later ones are listed with what still fits.
 */
export const answerLimits = {
  replyTextBytes: 16_000,
  repliesTextBytes: 200_000,
  /** Replies listed; later ones still update the answer, and the inbound log keeps them apart. */
  replies: 60,
  noteBytes: 16_000,
  /** Topics and action items: how many, and how long each. */
  items: 20,
  itemBytes: 1_000,
  surveyHelpBytes: 4_000,
  /** Longer Message-IDs are stored as their hash. */
  messageIdChars: 300,
} as const;

const encoder = new TextEncoder();

/** The longest start of `text` that fits in `bytes` of UTF-8 (never half a character), marked when cut. */
export function cutToBytes(text: string, bytes: number): string {
  if (text.length * 3 <= bytes) return text;
  const { read } = encoder.encodeInto(text, new Uint8Array(Math.max(0, bytes)));
  if (read >= text.length) return text;
  const marker = ' […]';
  const room = encoder.encodeInto(text, new Uint8Array(Math.max(0, bytes - 6))).read;
  return room > 0 ? `${text.slice(0, room)}${marker}` : '';
}

const byteLength = (text: string) => Buffer.byteLength(text, 'utf8');

/** How a Message-ID is kept in an answer: as it is, or its hash when it is very long. */
export const storedMessageId = (messageId: string) =>
  messageId.length <= answerLimits.messageIdChars
    ? messageId
    : `sha256:${createHash('sha256').update(messageId).digest('hex')}`;

/** The answer as it can be stored: every part within its limit (see `answerLimits`). */
export function boundedAnswer(answer: Answer): Answer {
  const items = (list: string[]) =>
    list.slice(0, answerLimits.items).map((item) => cutToBytes(item, answerLimits.itemBytes));
  let textLeft = answerLimits.repliesTextBytes;
  const replies = answer.replies.slice(0, answerLimits.replies).map((reply) => {
    const text = cutToBytes(reply.text, Math.min(answerLimits.replyTextBytes, textLeft));
    textLeft -= byteLength(text);
    return { ...reply, messageId: storedMessageId(reply.messageId), text };
  });
  const survey = answer.survey && {
    ...answer.survey,
    ...(typeof answer.survey.help === 'string'
      ? { help: cutToBytes(answer.survey.help, answerLimits.surveyHelpBytes) }
      : {}),
  };
  return {
    ...answer,
    topics: items(answer.topics),
    actionItems: items(answer.actionItems),
    note: cutToBytes(answer.note, answerLimits.noteBytes),
    replies,
    ...(survey ? { survey } : {}),
  };
}

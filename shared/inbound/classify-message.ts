import { headerOf, type ParsedMessage } from './parse-message.ts';
import { wordsOf } from './reply-words.ts';
import { vocabulary } from './vocabulary.ts';

/**
 * What kind of message arrived. Only a `reply` is a participant's answer: auto-replies and
 * bounces are never counted and never answered (answering them is how mail loops start), and
 * an `empty` reply says nothing.
 */
export const messageKinds = ['reply', 'auto_reply', 'bounce', 'empty'] as const;
export type MessageKind = (typeof messageKinds)[number];

export interface Classification {
  kind: MessageKind;
  /** Which header or rule decided, for support and logs. */
  reason: string;
}

const deliveryReports = new Set(['message/delivery-status', 'message/global-delivery-status']);
const systemSenders = /^(?:mailer-daemon|postmaster)$/i;
const automaticPrecedence = /^(?:auto_reply|bulk|junk|list)$/i;

/**
 * An out-of-office subject as Outlook, Gmail, Apple Mail and others write it in the languages
 * Tandem reads (`outOfOffice` in `words/`): one of the words in front ("Abwesenheit: …"), or
 * an unmistakable phrase anywhere ("Re: Out of Office"); "absence" alone could be a topic.
 */
function isOutOfOfficeSubject(subject: string): boolean {
  const words = wordsOf(subject);
  return vocabulary.outOfOffice.start.matchAt(words, 0) > 0 || vocabulary.outOfOffice.anywhere.has(words);
}

/** A bounce, when the message is a delivery report or comes from a mail system. */
function bounceReason(message: ParsedMessage): string | null {
  const contentType = headerOf(message, 'content-type') ?? '';
  const reportType = /report-type\s*=\s*"?([\w-]+)/i.exec(contentType)?.[1]?.toLowerCase();
  if (message.mimeType === 'multipart/report' && reportType !== 'disposition-notification')
    return `Content-Type: multipart/report; report-type=${reportType ?? 'unknown'}`;
  if (message.partTypes.some((type) => deliveryReports.has(type))) return 'a message/delivery-status part';
  const localPart = message.from.address.split('@')[0] ?? '';
  if (systemSenders.test(localPart)) return `sender ${message.from.address}`;
  if (headerOf(message, 'x-failed-recipients')) return 'X-Failed-Recipients header';
  return null;
}

/** An auto-reply: RFC 3834 headers, the de facto ones, read receipts, or an out-of-office subject. */
function autoReplyReason(message: ParsedMessage): string | null {
  const autoSubmitted = headerOf(message, 'auto-submitted');
  const autoSubmittedValue = autoSubmitted?.split(';')[0]?.trim().toLowerCase();
  if (autoSubmittedValue && autoSubmittedValue !== 'no') return `Auto-Submitted: ${autoSubmittedValue}`;
  for (const name of ['X-Autoreply', 'X-Autorespond', 'X-Autoresponder', 'X-Auto-Reply-From']) {
    if (headerOf(message, name) !== undefined) return `${name} header`;
  }
  const precedence = headerOf(message, 'precedence')?.trim();
  if (precedence && automaticPrecedence.test(precedence)) return `Precedence: ${precedence.toLowerCase()}`;
  if (message.mimeType === 'multipart/report') return 'read receipt (report-type=disposition-notification)';
  if (isOutOfOfficeSubject(message.subject)) return 'out-of-office subject';
  return null;
}

/**
 * Bounces first (they often carry Auto-Submitted too), then auto-replies, then whether the
 * participant wrote anything: `hasContent` is false when nothing is left after removing
 * quotes and signature, and the subject commands nothing either.
 */
export function classifyMessage(message: ParsedMessage, hasContent: boolean): Classification {
  const bounce = bounceReason(message);
  if (bounce) return { kind: 'bounce', reason: bounce };
  const autoReply = autoReplyReason(message);
  if (autoReply) return { kind: 'auto_reply', reason: autoReply };
  if (!hasContent) return { kind: 'empty', reason: 'no new text after removing quotes and signature' };
  return { kind: 'reply', reason: 'new text from the sender' };
}

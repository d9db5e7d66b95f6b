import { headerOf, type ParsedMessage } from './parse-message.ts';

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
 * Subjects of out-of-office replies as Outlook, Gmail, Apple Mail and others write them in
 * the languages Tandem reads. Only unmistakable phrases: "absence" alone could be a topic.
 */
const outOfOfficeSubject = new RegExp(
  [
    '^(?:automatic reply|auto[- ]?reply|autoreply|auto[- ]?response|out of (?:the )?office|ooo)\\b',
    '^(?:automatische antwort|abwesenheitsnotiz|abwesenheit)\\b',
    '^(?:réponse automatique|absence du bureau|absent du bureau)',
    '^(?:respuesta automática|fuera de la oficina)',
    '^(?:resposta automática|fora do escritório|ausente do escritório)',
    '^(?:risposta automatica|fuori sede|fuori ufficio)\\b',
    '^(?:automatisch antwoord|afwezig)\\b',
    '^(?:automatiskt svar|frånvaro|frånvarande|autosvar)\\b',
    '^(?:automatisk svar|fravær|fraværende|ikke på kontoret|ikke til stede|autosvar)',
    '\\b(?:out of (?:the )?office|abwesenheitsnotiz|absence du bureau|fuera de la oficina|fora do escritório|fuori sede|automatic reply|automatische antwort|réponse automatique|respuesta automática|resposta automática|risposta automatica|automatisch antwoord|automatiskt svar|automatisk svar)\\b',
  ].join('|'),
  'iu',
);

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
  if (outOfOfficeSubject.test(message.subject.trim())) return 'out-of-office subject';
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

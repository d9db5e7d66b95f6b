import { classifyMessage, type MessageKind } from './classify-message.ts';
import { type AnswerConfidence, type Answers, extractAnswers, type Role } from './extract-answers.ts';
import { htmlToText } from './html-text.ts';
import { commandOf, type Intent, subjectWithoutPrefixes } from './intents.ts';
import { type ParsedMessage, parseMessage } from './parse-message.ts';
import { replyKeysIn } from './reply-key.ts';
import { normalizeSender } from './sender.ts';
import { type NewText, stripQuotes } from './strip-quotes.ts';

/**
 * Everything Tandem understands from one inbound message, with no I/O: the same function
 * serves the Lambda that receives replies and `tandem parse-reply`.
 */

/** The message's own facts (sender, recipients, subject, ids, date), as `parseMessage` read them. */
type MessageFacts = Pick<
  ParsedMessage,
  'from' | 'recipients' | 'subject' | 'messageId' | 'inReplyTo' | 'references' | 'date' | 'dkimDomains'
>;

export interface UnderstoodReply extends MessageFacts {
  kind: MessageKind;
  /** Why the message is of that kind: the header or rule that decided. */
  reason: string;
  /** The participant's new text: no quoted history, no signature. */
  text: string;
  /** What the participant asked for; null unless the message is a reply. */
  intent: Intent | null;
  /** The answers to the check-in; all empty unless the message is a reply. */
  answers: Answers;
  /** The new text that is neither an answer nor a command, verbatim. */
  note: string;
  /** How sure each answer's reading is: `low` ones are listed for the organizers to check. */
  confidence: AnswerConfidence;
  /** The reply key among the recipients, the most trustworthy first; null when there is none. */
  replyKey: string | null;
  /** All distinct reply keys: more than one means the message cannot be attributed to one pair. */
  replyKeys: string[];
  /** The From address normalized for comparison with a participant's email. */
  sender: string;
  /** The message or its text was longer than Tandem reads; only the beginning was understood. */
  truncated: boolean;
}

export type ReplyUnderstanding = { ok: true; reply: UnderstoodReply } | { ok: false; problem: string };

export interface UnderstandOptions {
  /** Only `reply+KEY@` addresses at this domain carry a key; any domain when not given. */
  inboundDomain?: string | undefined;
  /** The SES envelope recipients (`receipt.recipients`): trusted before the headers. */
  envelopeRecipients?: readonly string[] | undefined;
  /** Whose check-in is being answered, when known; guessed from the quoted check-in otherwise. */
  role?: Role | undefined;
}

const noAnswers = (): Answers => ({ met: null, topics: [], actionItems: [], rating: null });
const sure: AnswerConfidence = {
  met: 'high',
  topics: 'high',
  actionItems: 'high',
  rating: 'high',
  intent: 'high',
};

/** The body to read: the plain-text part, or the HTML one when a client sent HTML only. */
function bodyOf(message: ParsedMessage): { body: string; truncated: boolean } {
  if (message.text.trim() !== '' || message.html.trim() === '')
    return { body: message.text, truncated: false };
  const html = htmlToText(message.html);
  return { body: html.text, truncated: html.truncated };
}

/**
 * When the new text answers nothing and commands nothing ("Answers below in blue."), the
 * answers typed inside the quoted check-in are the participant's: they join the new text.
 */
function withAnswersInQuote(newText: NewText): NewText {
  if (newText.answersInQuote.length === 0) return newText;
  const read = extractAnswers(newText.blocks, { history: newText.history });
  const { met, topics, actionItems, rating } = read.answers;
  if (
    met !== null ||
    rating !== null ||
    topics.length > 0 ||
    actionItems.length > 0 ||
    read.intent !== 'continue'
  )
    return newText;
  const blocks = [...newText.blocks, ...newText.answersInQuote];
  return { ...newText, blocks, text: blocks.map((block) => block.lines.join('\n')).join('\n\n') };
}

/**
 * A message read once, understood as its kind; `asRole` reads its answers again as that
 * role's check-in (once the sender is known) without parsing the message again.
 */
export type ReplyReading =
  | { ok: true; reply: UnderstoodReply; asRole(role: Role): UnderstoodReply }
  | { ok: false; problem: string };

/** Never throws: a message that is not an email comes back as `{ ok: false, problem }`. */
export async function understandReply(
  raw: Uint8Array | string,
  options: UnderstandOptions = {},
): Promise<ReplyUnderstanding> {
  const reading = await readReply(raw, options);
  return reading.ok ? { ok: true, reply: reading.reply } : reading;
}

/** `understandReply`, keeping what the message's role-independent reading found. */
export async function readReply(
  raw: Uint8Array | string,
  options: UnderstandOptions = {},
): Promise<ReplyReading> {
  const reading = await parseMessage(raw);
  if (!reading.ok) return reading;
  const { message } = reading;

  const { body, truncated: bodyTruncated } = bodyOf(message);
  const newText = withAnswersInQuote(stripQuotes(body));
  const subjectCommand = commandOf(subjectWithoutPrefixes(message.subject));
  const classification = classifyMessage(message, newText.text.trim() !== '' || subjectCommand !== null);
  const isReply = classification.kind === 'reply';
  const replyKeys = replyKeysIn(
    [...(options.envelopeRecipients ?? []), ...message.recipients],
    options.inboundDomain,
  );

  const understood = (role: Role | undefined): UnderstoodReply => {
    const extracted = isReply
      ? extractAnswers(newText.blocks, { role, history: newText.history, subject: message.subject })
      : null;
    return {
      kind: classification.kind,
      reason: classification.reason,
      text: newText.text,
      intent: extracted?.intent ?? null,
      answers: extracted?.answers ?? noAnswers(),
      note: extracted?.note ?? '',
      confidence: extracted?.confidence ?? sure,
      replyKey: replyKeys[0] ?? null,
      replyKeys,
      from: message.from,
      sender: normalizeSender(message.from.address),
      recipients: message.recipients,
      subject: message.subject,
      messageId: message.messageId,
      inReplyTo: message.inReplyTo,
      references: message.references,
      date: message.date,
      dkimDomains: message.dkimDomains,
      truncated: message.truncated || bodyTruncated || newText.truncated,
    };
  };
  return { ok: true, reply: understood(options.role), asRole: understood };
}

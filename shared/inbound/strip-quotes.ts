import EmailReplyParser from 'email-reply-parser';
import { isClosing, questionOf, readLabel, readMet, readNumbered } from './answer-words.ts';
import { quoteMarks } from './html-text.ts';
import { trimEndBlanks, wordsOf } from './reply-words.ts';
import { vocabulary } from './vocabulary.ts';

/**
 * Finds the participant's new text in a reply: what they wrote above, between or below the
 * quoted check-in, without the quoted history and without their signature.
 *
 * Tandem reads the structure itself, line by line and in linear time: `>` quotes, the
 * "On … wrote:" line above them, Outlook's "From:/Sent:" blocks, "Original Message" and
 * forward separators, and the markers that `htmlToText` leaves for HTML quote containers.
 * email-reply-parser then reads each block of new text for the signatures and quote headers
 * it knows, in more languages still. Its regexes are super-linear on long input
 * (crisp-oss/email-reply-parser#39), so it only ever sees the end of a block, at most
 * `limits.parserChars` characters of lines no longer than `limits.parserLineChars`.
 */

export interface NewTextBlock {
  /** The quoted lines right above this block, without `>`: the question an inline answer replies to. */
  quoted: string[];
  lines: string[];
}

export interface NewText {
  /** The participant's new text; blocks of an inline reply are separated by a blank line. */
  text: string;
  blocks: NewTextBlock[];
  /** The start of the quoted history (the check-in being answered), without `>`. */
  history: string[];
  /**
   * Answers typed inside the quoted check-in, under each of its questions (in colour or bold
   * in HTML, so the text part shows them quoted, or unmarked below Outlook's header block):
   * one block per answered question. To be read only when the new text answers nothing.
   */
  answersInQuote: NewTextBlock[];
  /** The body was longer than `limits.bodyChars` and only its beginning was read. */
  truncated: boolean;
}

export const limits = {
  /** The new text comes first; a longer body is read this far. */
  bodyChars: 64_000,
  /** An inline reply answers a handful of questions; past this many blocks, the rest is not read. */
  blocks: 20,
  /** Enough of the quoted check-in to tell whose it is. */
  historyLines: 200,
  /** What email-reply-parser sees of the end of a block, in characters, lines and line length. */
  parserChars: 1_500,
  parserLines: 40,
  parserLineChars: 200,
};

interface Line {
  raw: string;
  quoted: boolean;
  /** The line without its `>` markers. */
  content: string;
  /** How many `>` markers it has: how deep in the thread it was quoted. */
  depth: number;
}

const markers = new Set<string>(Object.values(quoteMarks));
const quotePrefix = /^[ \t]*>(?:[ \t]*>)*[ \t]?/;

/**
 * Quote headers, separators, attributions and signature lines are short: a longer line is
 * never one, and is not read by the patterns that look for them.
 */
const maxStructureChars = 300;

function toLine(raw: string): Line {
  const prefix = quotePrefix.exec(raw);
  if (!prefix) return { raw, quoted: false, content: raw, depth: 0 };
  let depth = 0;
  for (const char of prefix[0]) if (char === '>') depth++;
  return { raw, quoted: true, content: raw.slice(prefix[0].length), depth };
}

const isBlank = (line: Line | undefined) => line !== undefined && !line.quoted && line.raw.trim() === '';

const ruleChars = new Set(['-', '_', '=', '*', ' ', '\t', ':']);

const separatorTexts = new Set(vocabulary.quote.separators.phrases);

/** "-----Original Message-----" and its kin (words in `words/`), once the rule around them is trimmed. */
function isSeparator(text: string): boolean {
  if (text.length > maxStructureChars) return false;
  let start = 0;
  let end = text.length;
  while (start < end && ruleChars.has(text[start] ?? '')) start++;
  while (end > start && ruleChars.has(text[end - 1] ?? '')) end--;
  const core = text.slice(start, end);
  return core.length <= 60 && separatorTexts.has(core.toLowerCase().replace(/\s+/g, ' '));
}

const ruler = /^\s*(?:_{5,}|-{5,})\s*$/;
/** The verb of an attribution line; global, so read with `search` (which ignores lastIndex) or `matchAll`. */
const attributionVerbs =
  /(?<!\p{L})(?:wrote|writes|schrieb|schreibt|a écrit|escribió|escreveu|ha scritto|schreef|geschreven|skrev|skriver|kirjoitti|napisał|pisze)(?!\p{L})/giu;

type HeaderKind = 'from' | 'date' | 'to';

/** The kind of a quote header's name ("From", "Gesendet", "Objet", "Kimden"), or null. */
function headerNameKind(name: string): HeaderKind | null {
  const words = wordsOf(name.replaceAll('*', ' '));
  if (words.length === 0 || words.length > 2) return null;
  if (vocabulary.quote.from.isExactly(words)) return 'from';
  if (vocabulary.quote.date.isExactly(words)) return 'date';
  if (vocabulary.quote.to.isExactly(words)) return 'to';
  return null;
}

/** "From: Tandem <…>", "**Von:** Tandem": the header a line starts with, when something follows it. */
function headerOf(text: string): HeaderKind | null {
  if (text.length > maxStructureChars) return null;
  const colon = text.indexOf(':');
  if (colon <= 0 || colon > 30) return null;
  const kind = headerNameKind(text.slice(0, colon));
  return kind === 'from' &&
    text
      .slice(colon + 1)
      .replaceAll('*', '')
      .trim() === ''
    ? null
    : kind;
}

/** The kinds of the headers a line names anywhere ("From: X Sent: Y To: Z Subject: …" on one line). */
function headersInLine(text: string): Set<HeaderKind> {
  const kinds = new Set<HeaderKind>();
  for (
    let colon = text.indexOf(':');
    colon >= 0 && colon < maxStructureChars * 4;
    colon = text.indexOf(':', colon + 1)
  ) {
    const before = text.slice(Math.max(0, colon - 20), colon);
    const name = before.slice(before.lastIndexOf(' ', before.length - 2) + 1);
    const kind = headerNameKind(name);
    if (kind) kinds.add(kind);
  }
  return kinds;
}

/**
 * Outlook's "From: … Sent: … To: … Subject: …" (GMX starts with "Gesendet:"): a sender, a
 * date and a recipient or subject line together are evidence enough.
 */
function isHeaderBlock(lines: readonly Line[], index: number): boolean {
  const first = lines[index]?.raw ?? '';
  const kind = headerOf(first);
  if (kind !== 'from' && kind !== 'date') {
    // A mobile client may put the whole header on one line.
    const inline =
      first.length <= maxStructureChars * 4 && headerOf(first) === 'from' ? headersInLine(first) : null;
    return inline !== null && inline.size === 3;
  }
  const block = lines.slice(index, index + 7).filter((line) => !line.quoted);
  const kinds = new Set(block.map((line) => headerOf(line.raw)));
  if (kinds.has('from') && kinds.has('date') && kinds.has('to')) return true;
  return kind === 'from' && headersInLine(first).size === 3;
}

/** "On Tue, 2 Mar 2027 at 09:00, Tandem <reply+…> wrote:" — with a date or an address as evidence. */
const isAttributionText = (text: string) =>
  text.length <= 400 && /[:：]$/.test(text) && text.search(attributionVerbs) >= 0 && /[\d@]/.test(text);

/** "On …", "Le …", "Am …": how an attribution line starts (or with a date or an address). */
const startsLikeAttribution = (text: string) => {
  const words = wordsOf(text);
  return vocabulary.quote.intro.matchAt(words, 0) > 0 || /^[\d<"]/.test(text.trim()) || text.includes('@');
};

/**
 * First line of an attribution ending at `end`: clients wrap a long one over two or three
 * lines ("… Tandem Mentoring\n<checkins@…> wrote:", "… a\nécrit :").
 */
function attributionStart(lines: readonly Line[], end: number): number | null {
  const last = lines[end]?.raw ?? '';
  if (last.length > maxStructureChars || !/[:：]$/.test(last)) return null;
  for (let start = Math.max(0, end - 2); start <= end; start++) {
    const part = lines.slice(start, end + 1);
    if (part.some((line) => line.quoted || line.raw.trim() === '' || line.raw.length > maxStructureChars))
      continue;
    const text = part.map((line) => line.raw.trim()).join(' ');
    if (isAttributionText(text) && (start === end || startsLikeAttribution(part[0]?.raw ?? ''))) return start;
  }
  return null;
}

/**
 * Where a quote starts inside a line: mobile clients may flatten the quoted message into the
 * line of the reply ("Yes we met 5/5 On Tue, Mar 2, 2027 at 9:00 AM Tandem <…> wrote: Hi …").
 * The attribution must start with a capitalized "On", "Le", "Am" … and hold a date or an
 * address; a header ("From: … Sent: … To: …") counts as well.
 */
function quoteStartInLine(text: string): number | null {
  if (text.length <= 40) return null;
  let tries = 0;
  for (const verb of text.matchAll(attributionVerbs)) {
    if (++tries > 5) break;
    const colon = text.slice(verb.index + verb[0].length).match(/^ ?[:：]/);
    if (!colon) continue;
    const window = text.slice(Math.max(0, verb.index - maxStructureChars), verb.index);
    const offset = Math.max(0, verb.index - maxStructureChars);
    for (let at = window.length - 1; at >= 0; at--) {
      if (at > 0 && window[at - 1] !== ' ') continue;
      const rest = window.slice(at);
      const first = rest.split(' ', 1)[0] ?? '';
      // "On", "Am", "Le": capitalized, not shouted ("9:00 AM" is no German "Am").
      if (
        !/^\p{Lu}(?:\P{Lu}|$)/u.test(first) ||
        vocabulary.quote.intro.matchAt(wordsOf(rest.slice(0, 20)), 0) === 0
      )
        continue;
      if (/\d/.test(rest)) return offset + at;
    }
  }
  const from = text.search(/(?:^|\s)\*?(?:From|Von|De|Da|Van|Från|Fra|Od|Kimden)\s?:/);
  if (from >= 0 && headersInLine(text.slice(from)).size === 3) return from;
  return null;
}

/** For each line, the first line from there on that is not blank: one pass, so reading stays linear. */
function nextNonBlankLines(lines: readonly Line[]): (Line | undefined)[] {
  const next: (Line | undefined)[] = new Array(lines.length + 1);
  for (let index = lines.length - 1; index >= 0; index--) {
    next[index] = isBlank(lines[index]) ? next[index + 1] : lines[index];
  }
  return next;
}

function withRulerAbove(lines: readonly Line[], index: number): number {
  let above = index - 1;
  while (above >= 0 && isBlank(lines[above])) above--;
  return above >= 0 && ruler.test(lines[above]?.raw ?? '') ? above : index;
}

/**
 * Index of the first line of the earlier conversation that is not `>`-quoted: everything
 * from there on is history, even when it is not marked as a quote.
 */
function historyStart(lines: readonly Line[], next: readonly (Line | undefined)[]): number {
  for (const [index, line] of lines.entries()) {
    if (line.quoted) continue;
    const text = line.raw.trim();
    if (text === quoteMarks.history) return index;
    if (isSeparator(text) || isHeaderBlock(lines, index)) return withRulerAbove(lines, index);
    if (text === quoteMarks.attribution && !lines.slice(index + 1, index + 6).some((each) => each.quoted))
      return index;
    if (next[index + 1]?.quoted !== true) {
      const start = attributionStart(lines, index);
      if (start !== null) return start;
    }
  }
  return lines.length;
}

/** Lines that only introduce the quote below them: the attribution, and HTML attribution markers. */
function introductionLines(
  lines: readonly Line[],
  next: readonly (Line | undefined)[],
  end: number,
): Set<number> {
  const dropped = new Set<number>();
  for (let index = 0; index < end; index++) {
    const line = lines[index];
    if (!line || line.quoted) continue;
    if (line.raw.trim() === quoteMarks.attribution) {
      for (let at = index; at < end && !lines[at]?.quoted; at++) dropped.add(at);
      continue;
    }
    if (next[index + 1]?.quoted) {
      const start = attributionStart(lines, index);
      for (let dropping = start ?? index + 1; dropping <= index; dropping++) dropped.add(dropping);
    }
  }
  return dropped;
}

const parser = new EmailReplyParser();

/**
 * How many lines of a block stay after email-reply-parser has looked for a signature or a
 * quote header at its end. A quote header counts only with a date or an address in it.
 */
function parserEnd(lines: readonly string[]): number {
  let start = lines.length;
  let chars = 0;
  while (start > 0 && lines.length - start < limits.parserLines) {
    const length = Math.min(lines[start - 1]?.length ?? 0, limits.parserLineChars) + 1;
    if (chars + length > limits.parserChars) break;
    chars += length;
    start--;
  }
  // A long line is never a signature or a quote header; a placeholder keeps it out of the regexes.
  const window = lines.slice(start).map((line) => (line.length > limits.parserLineChars ? '…' : line));
  // The blank line in front lets a quote header on the first line count, as the parser wants one above it.
  for (const fragment of parser.read(`\n${window.join('\n')}`).getFragments()) {
    if (!fragment.isHidden() || fragment.isEmpty()) continue;
    const first = fragment
      .getContent()
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim();
    if (!first || (!fragment.isSignature() && !/[\d@]/.test(first))) continue;
    const at = window.findIndex((line) => {
      const text = line.trim();
      return text !== '' && (text === first || (text.length >= 10 && first.startsWith(text)));
    });
    if (at >= 0) return start + at;
  }
  return lines.length;
}

/** Lines a mail client adds under what the participant wrote ("Sent from my iPhone", "Get Outlook for iOS"). */
const isClientLine = (line: string) =>
  line.length <= maxStructureChars && vocabulary.sentFrom.matchAt(wordsOf(line), 0) > 0;

/** "[image: Acme logo]": where Gmail's text part shows a picture of a signature. */
const isImagePlaceholder = (line: string) =>
  /^\[(?:image|cid|bild|imagen|imagem|immagine|afbeelding):[^\]]*\]$/i.test(line.trim());

/** A company's legal text: two or more of its phrases in one paragraph of a few long lines. */
function isDisclaimer(paragraph: readonly string[]): boolean {
  if (paragraph.length > 12) return false;
  let found = 0;
  for (const line of paragraph) {
    if (found >= 2) break;
    if (line.length > 4 * maxStructureChars) continue;
    const words = wordsOf(line);
    for (let at = 0; at < words.length; ) {
      const length = vocabulary.disclaimer.matchAt(words, at);
      if (length > 0) {
        found++;
        at += length;
      } else at++;
    }
  }
  return found >= 2;
}

/** A phone number, an address, a link, or name and title side by side: what signatures hold. */
function isContactLine(line: string): boolean {
  let digits = 0;
  for (const char of line) if (char >= '0' && char <= '9') digits++;
  return (
    digits >= 7 ||
    /@|www\.|https?:\/\/| \| |\t|\.(?:com|org|net|de|fr|es|it|nl|se|no|dk|co\.uk)\b/i.test(line)
  );
}

/** "Priya Nair", "Dr. Anna-Lena Weiß": a name, as a signature starts with one. */
function isNameLike(text: string): boolean {
  const words = text.trim().split(/\s+/);
  return words.length >= 2 && words.length <= 4 && words.every((word) => /^\p{Lu}[\p{L}.'’-]*$/u.test(word));
}

const isFormalClosing = (line: string) => {
  const words = wordsOf(line);
  const length = vocabulary.formalClosings.matchAt(words, 0);
  return length > 0 && isClosing(line);
};

/** "Met\tyes", "Yes | OKRs | …", "Rating: 4": an answer, never a signature. */
const readsAsAnswer = (line: string) =>
  readLabel(line) !== null || readMet(line.split(/ \| |\t|\//)[0] ?? '', 'answer') !== null;

/** A paragraph of a signature: short lines, a name or closing first, contact details in it. */
function isSignatureParagraph(paragraph: readonly string[], belowSignature: boolean): boolean {
  if (paragraph.length === 0 || paragraph.length > 8) return false;
  if (paragraph.some((line) => line.length > 120 || readsAsAnswer(line))) return false;
  const first = paragraph[0] ?? '';
  const head = first.split(/ \| |, | – | - /)[0] ?? '';
  const startsLikeSignature = isNameLike(head) || isFormalClosing(first);
  if (paragraph.some(isContactLine) && (startsLikeSignature || belowSignature)) return true;
  // "S pozdravem / Filip Novák / Software Engineer": a formal closing with a name and a title.
  if (isFormalClosing(first) && paragraph.length >= 3) return true;
  // "Dana Hoffmann / Senior Controller" right above the company's details.
  return belowSignature && isNameLike(first) && paragraph.length >= 2 && paragraph.length <= 4;
}

/** The block split into paragraphs (runs of lines without a blank one), with where each starts. */
function paragraphsOf(lines: readonly string[]): { start: number; lines: string[] }[] {
  const paragraphs: { start: number; lines: string[] }[] = [];
  let current: { start: number; lines: string[] } | null = null;
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') current = null;
    else if (current) current.lines.push(line);
    else {
      current = { start: index, lines: [line] };
      paragraphs.push(current);
    }
  }
  return paragraphs;
}

/**
 * Where the signature the client or the company adds starts, if it does: a disclaimer, and
 * from the end, paragraphs of contact details with the name above them. The participant's
 * own sign-off stays ("Thanks,\nAnna", "Viele Grüße\nSabine"), unless it is a formal closing
 * right above such a signature ("Kind regards,\nPriya Nair\nSenior Analyst | Contoso"), which
 * the client inserts together with it.
 */
function signatureStart(lines: readonly string[]): number {
  const paragraphs = paragraphsOf(lines);
  let end = lines.length;
  const disclaimer = paragraphs.findIndex((paragraph) => isDisclaimer(paragraph.lines));
  let last = disclaimer === -1 ? paragraphs.length : disclaimer;
  if (disclaimer !== -1) end = paragraphs[disclaimer]?.start ?? end;
  let signature = disclaimer !== -1;
  while (last > 0) {
    const paragraph = paragraphs[last - 1];
    if (!paragraph) break;
    if (isSignatureParagraph(paragraph.lines, signature)) {
      // An informal sign-off leading the paragraph stays: "Thanks,\nAnna\nData Engineer | Acme".
      const first = paragraph.lines[0] ?? '';
      const keep = isClosing(first) && !isFormalClosing(first) ? Math.min(2, paragraph.lines.length) : 0;
      end = paragraph.start + keep;
      signature = true;
      last--;
      if (keep > 0) break;
      continue;
    }
    if (signature && paragraph.lines.length <= 2 && isFormalClosing(paragraph.lines[0] ?? '')) {
      end = paragraph.start;
      last--;
    }
    break;
  }
  return end;
}

/** The block without its signature: the client's lines, email-reply-parser's, and the company's. */
function withoutSignature(lines: readonly string[]): string[] {
  // The client's line ends what the participant wrote: it is looked for where signatures stand.
  const tail = Math.max(0, lines.length - limits.parserLines);
  const own = lines.slice(tail).findIndex(isClientLine);
  const kept = lines.slice(0, Math.min(own === -1 ? lines.length : tail + own, parserEnd(lines)));
  const visible = kept.filter((line) => !isImagePlaceholder(line));
  return trimBlankLines(visible.slice(0, signatureStart(visible)));
}

/** Without blank lines at either end, and at most one in a row (HTML often makes several). */
function trimBlankLines(lines: string[]): string[] {
  const kept = lines.filter((line, index) => line.trim() !== '' || (lines[index - 1] ?? '').trim() !== '');
  while (kept.length > 0 && (kept[0] ?? '').trim() === '') kept.shift();
  while (kept.length > 0 && (kept.at(-1) ?? '').trim() === '') kept.pop();
  return kept;
}

/** Lines with plain spaces, no invisible characters and no blanks at their end. */
function normalizedLines(body: string): string[] {
  return body
    .replace(/\r\n?/g, '\n')
    .replace(/[\u00a0\u2007\u202f]/g, ' ')
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, '')
    .split('\n')
    .map(trimEndBlanks);
}

/** A quote flattened into a line of the reply becomes history: the line is cut where it starts. */
function withFlattenedQuotesOpened(lines: string[]): string[] {
  for (const [index, line] of lines.entries()) {
    if (quotePrefix.test(line)) continue;
    const start = quoteStartInLine(line);
    if (start !== null && start > 0) {
      return [
        ...lines.slice(0, index),
        line.slice(0, start).trimEnd(),
        quoteMarks.history,
        line.slice(start),
        ...lines.slice(index + 1),
      ];
    }
  }
  return lines;
}

export function stripQuotes(body: string): NewText {
  const truncated = body.length > limits.bodyChars;
  const lines = withFlattenedQuotesOpened(
    normalizedLines(truncated ? body.slice(0, limits.bodyChars) : body),
  ).map(toLine);
  const next = nextNonBlankLines(lines);
  const end = historyStart(lines, next);
  const dropped = introductionLines(lines, next, end);

  const blocks: NewTextBlock[] = [];
  let quoted: string[] = [];
  let quotedLines: Line[] = [];
  let block: NewTextBlock | null = null;
  for (let index = 0; index < end; index++) {
    const line = lines[index];
    if (!line || dropped.has(index)) continue;
    if (line.quoted) {
      if (block) blocks.push(block);
      block = null;
      quoted.push(line.content);
      quotedLines.push(line);
    } else if (block) {
      block.lines.push(line.raw);
    } else if (line.raw.trim() !== '') {
      block = { quoted, lines: [line.raw] };
      quoted = [];
      quotedLines = [];
    }
  }
  if (block) blocks.push(block);

  const history = [...quoted, ...lines.slice(end).map((line) => line.content)]
    .filter((line) => line.trim() !== '' && !markers.has(line.trim()))
    .slice(0, limits.historyLines);
  const cleaned = blocks
    .slice(0, limits.blocks)
    .map((each) => ({ quoted: each.quoted, lines: withoutSignature(each.lines) }))
    .filter((each) => each.lines.length > 0);
  return {
    text: cleaned.map((each) => each.lines.join('\n')).join('\n\n'),
    blocks: cleaned,
    history,
    answersInQuote: answersInQuote([...quotedLines, ...lines.slice(end, end + limits.historyLines)]),
    truncated: truncated || blocks.length > limits.blocks,
  };
}

/**
 * The answers typed under the questions of the quoted check-in: from its first question
 * ("1. Did you meet …?") on, the lines at the same quote depth between one question and the
 * next, up to the blank line after the last. The check-in's questions stand one under the
 * other, so any line between them is the participant's.
 */
function answersInQuote(region: readonly Line[]): NewTextBlock[] {
  const first = region.findIndex((line) => {
    const numbered = line.content.length <= maxStructureChars ? readNumbered(line.content) : null;
    return numbered?.number === 1 && questionOf(numbered.value) === 'met';
  });
  const start = region[first];
  if (!start) return [];
  const answered: NewTextBlock[] = [];
  let question = start.content.trim();
  let number = 1;
  let answer: string[] = [];
  const flush = () => {
    if (answer.length > 0) answered.push({ quoted: [question], lines: answer });
    answer = [];
  };
  for (const line of region.slice(first + 1, first + 60)) {
    const text = line.content.trim();
    if (line.depth !== start.depth || text === '' || markers.has(text)) break;
    const numbered = text.length <= maxStructureChars ? readNumbered(text) : null;
    if (numbered?.number === number + 1 && questionOf(numbered.value) !== null) {
      flush();
      question = text;
      number++;
    } else if (!text.endsWith('?') && !text.startsWith('(')) {
      // A question's wrapped end ("(very)?") is no answer.
      answer.push(text);
    }
  }
  flush();
  return answered;
}

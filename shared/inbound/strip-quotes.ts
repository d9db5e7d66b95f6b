import EmailReplyParser from 'email-reply-parser';
import { quoteMarks } from './html-text.ts';
import { trimEndBlanks } from './reply-words.ts';

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
  return prefix
    ? { raw, quoted: true, content: raw.slice(prefix[0].length) }
    : { raw, quoted: false, content: raw };
}

const isBlank = (line: Line | undefined) => line !== undefined && !line.quoted && line.raw.trim() === '';

/** "-----Original Message-----" and its kin: the words, once the rule around them is trimmed. */
const separators = new Set([
  'original message',
  'forwarded message',
  'ursprüngliche nachricht',
  'originalnachricht',
  'weitergeleitete nachricht',
  "message d'origine",
  'message original',
  'message transféré',
  'mensaje original',
  'mensaje reenviado',
  'mensagem original',
  'mensagem encaminhada',
  'mensagem reencaminhada',
  'messaggio originale',
  'messaggio inoltrato',
  'oorspronkelijk bericht',
  'origineel bericht',
  'doorgestuurd bericht',
  'ursprungligt meddelande',
  'vidarebefordrat meddelande',
  'opprinnelig melding',
  'videresendt melding',
  'oprindelig meddelelse',
  'videresendt meddelelse',
  'begin forwarded message',
  'anfang der weitergeleiteten nachricht',
  'début du message réexpédié',
  'début du message transféré',
  'inicio del mensaje reenviado',
  'início da mensagem reencaminhada',
  'inizio messaggio inoltrato',
  'begin doorgestuurd bericht',
  'vidarebefordrat brev',
]);
const ruleChars = new Set(['-', '_', '=', '*', ' ', '\t', ':']);

function isSeparator(text: string): boolean {
  if (text.length > maxStructureChars) return false;
  let start = 0;
  let end = text.length;
  while (start < end && ruleChars.has(text[start] ?? '')) start++;
  while (end > start && ruleChars.has(text[end - 1] ?? '')) end--;
  return separators.has(text.slice(start, end).toLowerCase().replace(/\s+/g, ' '));
}

const ruler = /^\s*(?:_{5,}|-{5,})\s*$/;
const headerFrom = /^[*\s]*(?:from|von|de|da|van|från|fra|od)\s*:\**\s*\S/i;
const headerDate =
  /^[*\s]*(?:sent|date|gesendet|datum|envoyé|enviado|enviada|fecha|data|inviato|verzonden|skickat|sendt|dato)\s*:/i;
const headerToOrSubject =
  /^[*\s]*(?:to|an|à|a|para|aan|till|til|cc|subject|betreff|objet|asunto|assunto|oggetto|onderwerp|ämne|emne)\s*:/i;
const attributionVerb =
  /(?<!\p{L})(?:wrote|writes|schrieb|schreibt|a écrit|escribió|escreveu|ha scritto|schreef|geschreven|skrev|skriver|kirjoitti|napisał|pisze)(?!\p{L})/iu;
const ownSignature =
  /^(?:sent with proton ?mail|sent from proton ?mail|skickat från min|inviato da|inviato dal mio|enviado do meu|enviado de meu|enviado a partir do meu|verzonden met|verstuurd met|get outlook for|outlook für .{1,20} beziehen|holen sie sich outlook für|obtener outlook para|descargar outlook para|obter o outlook para|baixe o outlook para|scarica outlook per|ottieni outlook per|outlook voor .{1,20} downloaden|hämta outlook för|få outlook for|hent outlook til)(?!\p{L})/iu;

/**
 * Outlook's "From: … Sent: … To: … Subject: …" (GMX starts with "Gesendet:"): a sender, a
 * date and a recipient or subject line together are evidence enough.
 */
function isHeaderBlock(lines: readonly Line[], index: number): boolean {
  const first = lines[index]?.raw ?? '';
  if (first.length > maxStructureChars) return false;
  if (!headerFrom.test(first) && !headerDate.test(first)) return false;
  const block = lines.slice(index, index + 7).filter((line) => !line.quoted);
  return [headerFrom, headerDate, headerToOrSubject].every((header) =>
    block.some((line) => line.raw.length <= maxStructureChars && header.test(line.raw)),
  );
}

/** "On Tue, 2 Mar 2027 at 09:00, Tandem <reply+…> wrote:" — with a date or an address as evidence. */
const isAttributionText = (text: string) =>
  text.length <= 400 && /[:：]$/.test(text) && attributionVerb.test(text) && /[\d@]/.test(text);

/** First line of an attribution ending at `end`, following Gmail's wrap after "<". */
function attributionStart(lines: readonly Line[], end: number): number | null {
  const last = lines[end]?.raw ?? '';
  if (last.length > maxStructureChars || !/[:：]$/.test(last)) return null;
  let start = end;
  const continues = (index: number) => {
    const above = lines[index - 1];
    return (
      above !== undefined &&
      !above.quoted &&
      above.raw.trim() !== '' &&
      above.raw.length <= maxStructureChars &&
      (above.raw.endsWith('<') || /^\s*<?[^\s@<>]+@[^\s@<>]+>/.test(lines[index]?.raw ?? ''))
    );
  };
  while (start > end - 2 && continues(start)) start--;
  const text = lines
    .slice(start, end + 1)
    .map((line) => line.raw.trim())
    .join(' ');
  return isAttributionText(text) ? start : null;
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

/** The block without its signature: Tandem's own list first, then email-reply-parser's. */
function withoutSignature(lines: readonly string[]): string[] {
  const own = lines.findIndex((line) => line.length <= maxStructureChars && ownSignature.test(line.trim()));
  const end = Math.min(own === -1 ? lines.length : own, parserEnd(lines));
  return trimBlankLines(lines.slice(0, end));
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

export function stripQuotes(body: string): NewText {
  const truncated = body.length > limits.bodyChars;
  const lines = normalizedLines(truncated ? body.slice(0, limits.bodyChars) : body).map(toLine);
  const next = nextNonBlankLines(lines);
  const end = historyStart(lines, next);
  const dropped = introductionLines(lines, next, end);

  const blocks: NewTextBlock[] = [];
  let quoted: string[] = [];
  let block: NewTextBlock | null = null;
  for (let index = 0; index < end; index++) {
    const line = lines[index];
    if (!line || dropped.has(index)) continue;
    if (line.quoted) {
      if (block) blocks.push(block);
      block = null;
      quoted.push(line.content);
    } else if (block) {
      block.lines.push(line.raw);
    } else if (line.raw.trim() !== '') {
      block = { quoted, lines: [line.raw] };
      quoted = [];
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
    truncated: truncated || blocks.length > limits.blocks,
  };
}

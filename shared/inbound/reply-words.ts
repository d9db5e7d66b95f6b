/**
 * Reading what a participant wrote, word by word and in linear time: lines are normalized,
 * cut into tokens (words, with inner apostrophes and hyphens), and matched against phrase
 * sets built from the word lists in `words/`. No regex ever scans a whole line for a list of
 * words, so no reply can make reading slow.
 */

/** Lower-cased, NFC, typographic apostrophes made plain, inner white space folded. */
export function normalizeLine(line: string): string {
  return line
    .normalize('NFC')
    .toLowerCase()
    .replace(/[’‘`´]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

const punctuationOrSpace = /^[\s\p{P}\p{S}]$/u;

/**
 * The line without the punctuation, symbols and emoji around it ("**Pause!** 🙏" → "pause").
 * A loop over characters, as a trailing-class regex backtracks quadratically on a long run.
 */
export function trimPunctuation(line: string): string {
  const chars = [...line];
  let start = 0;
  let end = chars.length;
  while (start < end && punctuationOrSpace.test(chars[start] ?? '')) start++;
  while (end > start && punctuationOrSpace.test(chars[end - 1] ?? '')) end--;
  return chars.slice(start, end).join('');
}

/** The line without the spaces and tabs at its end, in linear time. */
export function trimEndBlanks(line: string): string {
  let end = line.length;
  while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t')) end--;
  return line.slice(0, end);
}

const wordChar = /^[\p{L}\p{N}\p{M}]$/u;

/** French and Italian elide before a vowel ("l'instant", "un'altra"): the article is a word of its own. */
const elisions = new Set([
  'l',
  'd',
  's',
  'n',
  'j',
  'm',
  't',
  'c',
  'qu',
  'un',
  'dell',
  'all',
  'nell',
  'sull',
  'dall',
  'quell',
  'jusqu',
  'lorsqu',
  'puisqu',
]);
const pictograph = /^\p{Extended_Pictographic}$/u;

/** A clause: its words, normalized, and the text it came from. */
export interface Clause {
  words: string[];
  text: string;
}

const clauseMarks = new Set(['.', '!', '?', ';', ',', '(', ')', '…', '¿', '¡', '"', '“', '”']);
const dashes = new Set(['-', '–', '—']);

/**
 * The clauses of a line: cut at sentence and clause punctuation (not inside a number such as
 * "4.5"), at a dash between spaces, and at any of `breakWords` ("but", "and"), which is left out.
 */
export function clausesOf(line: string, breakWords: PhraseSet | null): Clause[] {
  const text = normalizeLine(line);
  const pieces: string[] = [];
  let start = 0;
  for (let index = 0; index < text.length; index++) {
    const char = text[index] ?? '';
    const between = (test: (c: string) => boolean) =>
      test(text[index - 1] ?? '') && test(text[index + 1] ?? '');
    const isDigit = (c: string) => c >= '0' && c <= '9';
    const cut =
      (clauseMarks.has(char) && !((char === '.' || char === ',') && between(isDigit))) ||
      (dashes.has(char) && between((c) => c === ' ')) ||
      (char === ':' && !between(isDigit));
    if (cut) {
      pieces.push(text.slice(start, index));
      start = index + 1;
    }
  }
  pieces.push(text.slice(start));
  const clauses: Clause[] = [];
  for (const piece of pieces) {
    const tokens = tokenize(piece);
    let from = 0;
    for (let at = 1; at <= tokens.length; at++) {
      const breaks =
        at < tokens.length && breakWords
          ? breakWords.matchAt(
              tokens.map((t) => t.word),
              at,
            )
          : 0;
      if (at === tokens.length || breaks > 0) {
        const part = tokens.slice(from, at);
        if (part.length > 0)
          clauses.push({
            words: part.map((token) => token.word),
            text: piece.slice(part[0]?.start ?? 0, part.at(-1)?.end ?? 0),
          });
        from = at + breaks;
        at += breaks;
      }
    }
  }
  return clauses;
}

/** A word of a normalized text, and where it stands in it. */
export interface Token {
  word: string;
  start: number;
  end: number;
}

/**
 * The words of a text (normalize it first): letters and digits, joined by an apostrophe or a
 * hyphen inside a word ("didn't", "check-ins", "s'est"); an emoji is a word of its own.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let start = -1;
  const close = (end: number) => {
    if (start >= 0) tokens.push({ word: text.slice(start, end), start, end });
    start = -1;
  };
  for (let index = 0; index < text.length; ) {
    const code = text.codePointAt(index) ?? 0;
    // ASCII is most of what arrives: letters and digits by their codes, the rest by Unicode class.
    const ascii = code < 128;
    const char = ascii ? (text[index] ?? '') : String.fromCodePoint(code);
    const size = char.length;
    const isWordChar = ascii
      ? (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90)
      : wordChar.test(char);
    if (isWordChar) {
      if (start < 0) start = index;
    } else if (char === "'" && start >= 0 && elisions.has(text.slice(start, index))) {
      tokens.push({ word: text.slice(start, index + 1), start, end: index + 1 });
      start = -1;
    } else if ((char === "'" || char === '-') && start >= 0 && wordChar.test(text[index + 1] ?? '')) {
      // an apostrophe or hyphen inside a word
    } else {
      close(index);
      if (!ascii && pictograph.test(char)) tokens.push({ word: char, start: index, end: index + size });
    }
    index += size;
  }
  close(text.length);
  return tokens;
}

/**
 * The words of a line, normalized. Every reader asks for the words of the same few lines, so
 * the last short ones are kept (a bounded cache: memory stays flat whatever arrives).
 */
const recentWords = new Map<string, readonly string[]>();
export function wordsOf(line: string): readonly string[] {
  const known = recentWords.get(line);
  if (known) return known;
  const words = tokenize(normalizeLine(line)).map((token) => token.word);
  if (line.length > 1_000) return words;
  if (recentWords.size >= 512) recentWords.clear();
  recentWords.set(line, words);
  return words;
}

/** Counts the words of a line. */
export const wordCount = (text: string) => tokenize(text).length;

/**
 * A set of phrases (one or more words each), matched against a text's words: at a position,
 * the longest phrase that starts there. Built once from the word lists; each match costs at
 * most the number of phrases that start with that word.
 */
export class PhraseSet {
  private readonly byFirst = new Map<string, string[][]>();
  readonly words = new Set<string>();
  /** Every phrase, normalized, its words joined by a space. */
  readonly phrases: string[] = [];

  constructor(phrases: readonly string[]) {
    for (const phrase of new Set(phrases)) {
      const words = tokenize(normalizeLine(phrase)).map((token) => token.word);
      this.phrases.push(normalizeLine(phrase));
      const first = words[0];
      if (first === undefined) continue;
      this.byFirst.set(first, [...(this.byFirst.get(first) ?? []), words]);
      if (words.length === 1) this.words.add(first);
    }
    for (const list of this.byFirst.values()) list.sort((a, b) => b.length - a.length);
  }

  /** How many words of `words` from `at` on form a phrase of the set (the longest), or 0. */
  matchAt(words: readonly string[], at: number): number {
    const phrases = this.byFirst.get(words[at] ?? '');
    if (!phrases) return 0;
    for (const phrase of phrases) {
      let offset = 1;
      while (offset < phrase.length && words[at + offset] === phrase[offset]) offset++;
      if (offset === phrase.length) return phrase.length;
    }
    return 0;
  }

  /** The first phrase of the set among `words` from `from` on: where it starts and how long it is. */
  find(words: readonly string[], from = 0): { at: number; length: number } | null {
    for (let at = from; at < words.length; at++) {
      const length = this.matchAt(words, at);
      if (length > 0) return { at, length };
    }
    return null;
  }

  has(words: readonly string[]): boolean {
    return this.find(words) !== null;
  }

  /** Whether the words are exactly one phrase of the set. */
  isExactly(words: readonly string[]): boolean {
    return words.length > 0 && this.matchAt(words, 0) === words.length;
  }
}

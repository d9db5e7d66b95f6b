/**
 * Helpers shared by the modules that read what a participant wrote: line normalization and
 * building one anchored, linear-time pattern from a list of words in many languages.
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

const asPattern = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+');

/**
 * One alternation of whole words or phrases, longest first so that "not yet" wins over "not".
 * Word boundaries are written with look-arounds on letters, as `\b` knows only ASCII.
 */
export function wordsPattern(words: readonly string[]): string {
  const sorted = [...new Set(words)].sort((a, b) => b.length - a.length);
  return `(?<![\\p{L}\\p{N}])(?:${sorted.map(asPattern).join('|')})(?![\\p{L}\\p{N}])`;
}

/** Matches one of `words` at the start of a normalized line. */
export const startsWithWords = (words: readonly string[]) => new RegExp(`^${wordsPattern(words)}`, 'u');

/** Counts the words of a line: letters or digits in a row. */
export const wordCount = (text: string) => text.match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu)?.length ?? 0;

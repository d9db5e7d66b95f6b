import { commandOf } from './intents.ts';
import {
  clausesOf,
  normalizeLine,
  type PhraseSet,
  tokenize,
  trimPunctuation,
  wordCount,
} from './reply-words.ts';
import { vocabulary } from './vocabulary.ts';

/**
 * How participants write the answers to a check-in, in English, German, French, Spanish,
 * Portuguese, Italian, Dutch, Swedish, Norwegian and Danish: yes and no, "we met" and "we
 * haven't found a time yet", ratings in digits and in words, lists, labels such as "Topics:",
 * the questions themselves, greetings and sign-offs. The words are in `words/`; each reader
 * returns null when it is not sure: a missing answer is better than a wrong one.
 */

/** Where a line of a reply belongs. `note` is free text kept verbatim. */
export type AnswerSlot = 'met' | 'topics' | 'actionItems' | 'rating' | 'note';

/** A line longer than this is prose, never an answer: it is not read, which keeps reading fast. */
export const maxAnswerChars = 1_000;

/** A value read from a line, and how many of its words the value did not explain. */
export interface Reading<T> {
  value: T;
  extraWords: number;
  /** Said in so many words ("yes", "we met", "4/5"), not inferred ("had a quick call", "a solid 4"). */
  direct?: boolean;
}

/* ----------------------------------------------------------------------------- met */

const { meeting } = vocabulary;

/**
 * Whether one clause says the pair met: true, false, or null when it says neither. A negation
 * anywhere in the clause flips a meeting ("we didn't get to meet"), or makes an attempt say
 * no ("haven't found a time yet"); a clause about the future only says nothing ("we plan to
 * meet Tuesday"); "talked" and "spoke" count only with "we" ("I talked to my manager" does
 * not); "met our deadline" is not a meeting.
 */
/** Readings of the clause under way that were inferred rather than said (see `Reading.direct`). */
let inferred = false;

function meetingIn(words: readonly string[], subjectBefore = false): boolean | null {
  const noun = meeting.nouns.find(words);
  const subject = subjectBefore || meeting.subjects.has(words);
  // "Our session got cancelled", "the call keeps getting pushed": a meeting that did not happen.
  if (meeting.cancelled.has(words) && (noun || subject)) {
    inferred = true;
    return false;
  }
  let met = meeting.met.find(words);
  // "met" alone starts a clause ("Met on Monday"); inside one it is another word ("met" in Dutch).
  while (met && met.at > 0 && meeting.initialOnly.isExactly(words.slice(met.at, met.at + met.length)))
    met = meeting.met.find(words, met.at + 1);
  const attempt = meeting.attempt.find(words);
  const negated = meeting.negations.has(words);
  if (!met && !attempt) {
    const activity = activityIn(words, noun, negated);
    if (activity !== null) inferred = true;
    return activity;
  }
  if (negated) {
    if (!met) inferred = true;
    return false;
  }
  if (!met) {
    // "We managed a quick call": an attempt that succeeded says what was done.
    const activity = activityIn(words, noun, false);
    if (activity !== null) inferred = true;
    return activity;
  }
  if (meeting.future.has(words)) return null;
  const phrase = words.slice(met.at, met.at + met.length);
  if (meeting.weak.isExactly(phrase) && !subjectBefore && !meeting.subjects.find(words.slice(0, met.at)))
    return null;
  // "We met our deadline": a verb that takes an object, and an object after it.
  if (meeting.transitive.isExactly(phrase) && meeting.notObjects.matchAt(words, met.at + met.length) > 0)
    return null;
  return true;
}

/**
 * A meeting said by what the pair did: "had a quick call", "hatten ein Telefonat", "koffie
 * gedaan" (a verb of doing within four words of a meeting noun, either side); "no meeting
 * this time" says they did not.
 */
function activityIn(
  words: readonly string[],
  noun: { at: number; length: number } | null,
  negated: boolean,
): boolean | null {
  if (!noun) return null;
  const near = words.slice(Math.max(0, noun.at - 4), noun.at + noun.length + 4);
  const done = meeting.activityVerbs.has(near);
  if (negated) return false;
  if (!done || meeting.future.has(words)) return null;
  return true;
}

/** A yes or a no at the start of the words, and how many words it takes. */
function leadingAnswer(words: readonly string[]): { value: boolean; length: number } | null {
  const no = vocabulary.no.matchAt(words, 0);
  const yes = vocabulary.yes.matchAt(words, 0);
  if (no === 0 && yes === 0) return null;
  return no >= yes ? { value: false, length: no } : { value: true, length: yes };
}

/**
 * Did the pair meet? `answer` reads the answer to that very question ("1. Yes", "Met: not
 * yet", the line under the quoted question): a yes or no in front is enough. `prose` reads
 * any other line clause by clause: a yes or no must be a clause of its own, or lead into what
 * it is about ("yes we met", "no, we didn't"); meetings said in words count as above. When
 * the clauses disagree ("No, but we met briefly"), the answer is left to the organizers.
 */
export function readMet(line: string, mode: 'answer' | 'prose'): Reading<boolean> | null {
  if (line.length > maxAnswerChars) return null;
  const clauses = clausesOf(line, vocabulary.clauseBreaks);
  const total = clauses.reduce((sum, clause) => sum + clause.words.length, 0);
  if (total === 0) return null;
  const values: boolean[] = [];
  let explained = 0;
  inferred = false;
  // "We went for a walk and talked": the subject of a clause carries to the next ones.
  let subject = false;
  for (const [index, clause] of clauses.entries()) {
    const lead = leadingAnswer(clause.words);
    const rest = lead ? clause.words.slice(lead.length) : clause.words;
    // After a no, the whole clause is read, so its negation counts ("ainda não conseguimos marcar").
    const said = meetingIn(lead && !lead.value ? clause.words : rest, subject);
    subject ||= meeting.subjects.has(clause.words);
    // A yes or no counts in front of an answer, and in prose when it stands alone or says what it is about.
    if (lead && ((mode === 'answer' && index === 0) || rest.length === 0 || said !== null)) {
      values.push(lead.value);
      explained += lead.length;
    }
    if (said !== null) {
      values.push(said);
      explained += rest.length;
    }
  }
  if (values.length === 0) {
    if (mode === 'answer' && meeting.met.isExactly(clauses[0]?.words ?? []))
      return { value: true, extraWords: 0 };
    return null;
  }
  if (values.some((value) => value !== values[0])) return null;
  return { value: values[0] ?? false, extraWords: Math.max(0, total - explained), direct: !inferred };
}

/* -------------------------------------------------------------------------- rating */

const { rating: ratingWords } = vocabulary;

function numberAt(words: readonly string[], at: number): number | null {
  const word = words[at] ?? '';
  if (/^\d{1,2}$/.test(word)) return Number(word);
  return ratingWords.numbers.get(word) ?? null;
}

/** A rating on another scale: 8/10 is 4; 7/10 cannot be said in whole stars and stays unread. */
function onScale(value: number, of: number): number | null {
  if (of === 5) return value >= 1 && value <= 5 ? value : null;
  if (of === 10) return value >= 2 && value <= 10 && value % 2 === 0 ? value / 2 : null;
  return null;
}

/** "4/5", "4 out of 5", "drei von fünf", "8/10" at `at`: the rating and how many words it takes. */
function fractionAt(words: readonly string[], at: number): { value: number | null; length: number } | null {
  const value = numberAt(words, at);
  if (value === null) return null;
  const scale = ratingWords.scale.matchAt(words, at + 1);
  const of = numberAt(words, at + 1 + scale);
  if ((of !== 5 && of !== 10) || scale === 0) return null;
  return { value: onScale(value, of), length: scale + 2 };
}

const isTime = (words: readonly string[], at: number) => {
  for (let length = 1; length <= 2 && at - length >= 0; length++) {
    if (ratingWords.timeWords.matchAt(words, at - length) === length) return true;
  }
  return /^(?:am|pm|h|uhr|min|hours?|minutes?|h\d\d)$/.test(words[at + 1] ?? '');
};

/**
 * A rating in one clause of prose: a fraction at its start or end, or anywhere with a rating
 * word in the clause ("rating 4/5", "I'd rate it 5 out of 5"); a number right after a rating
 * word or an article ("a solid 4", "nota 5", "give it a four") or at the clause's end with a
 * rating word before it ("ich würde eine 4 geben"); or a clause that is only a number ("4",
 * "a four", "en fyra"). A time ("at 4") never is. `undefined` when the clause has no rating,
 * null when it has one that is not on a 1–5 scale (7/10).
 */
function ratingIn(words: readonly string[]): Reading<number | null> | undefined {
  const cue = ratingWords.cues.find(words);
  for (let at = 0; at < words.length; at++) {
    const fraction = fractionAt(words, at);
    if (fraction && (cue || at === 0 || at + fraction.length === words.length)) {
      const of = numberAt(words, at + fraction.length - 1);
      return { value: fraction.value, extraWords: words.length - fraction.length, direct: of === 5 };
    }
  }
  const article = ratingWords.articles.matchAt(words, 0);
  if (words.length === article + 1) {
    const alone = numberAt(words, article);
    if (alone !== null && alone >= 1 && alone <= 5 && !isTime(words, article))
      return { value: alone, extraWords: 0 };
  }
  if (!cue) return undefined;
  for (let at = cue.at + cue.length; at < words.length; at++) {
    const value = numberAt(words, at);
    if (value === null || value < 1 || value > 5 || isTime(words, at)) continue;
    const before = words[at - 1] ?? '';
    const afterCue = at === cue.at + cue.length || ratingWords.articles.words.has(before);
    const trailing = words.slice(at + 1);
    const last = trailing.every((word) => ratingWords.cues.words.has(word));
    if (afterCue || last) return { value, extraWords: words.length - 1 - cue.length };
  }
  // A verb of giving at the end, after the number: "eine 4 geben", "een 4 geven", "4 from me too".
  const value = cue.at > 0 ? numberAt(words, cue.at - 1) : null;
  if (value !== null && value >= 1 && value <= 5 && words.length - cue.at - cue.length <= 1)
    return { value, extraWords: words.length - 1 - cue.length };
  return undefined;
}

function readStars(text: string): Reading<number> | null {
  const stars = text.replace(/\uFE0F/g, '').match(/^([★⭐]{1,5}|\*{1,5})☆*(?=\s|$)/u);
  if (!stars?.[1]) return null;
  return { value: [...stars[1]].length, extraWords: wordCount(text.slice(stars[0].length)) };
}

/**
 * How useful the meeting was, 1 to 5: "4", "4/5", "4 out of 5", "★★★★", "four", "8/10" (as
 * 4). In `answer` mode (the line under the question, a "Rating:" label) a number in front is
 * enough; in `prose` a clause must say it is a rating (see `ratingIn`). `value` is null for a
 * rating on a scale that does not fit in whole stars (7/10): seen, but not guessed.
 */
export function readRating(line: string, mode: 'answer' | 'prose'): Reading<number | null> | null {
  if (line.length > maxAnswerChars) return null;
  const normalized = normalizeLine(line);
  const stars = readStars(normalized);
  if (stars) return mode === 'answer' || stars.extraWords === 0 ? stars : null;
  // "4/5" reads as "4 of 5": the slash becomes a word of the scale.
  const clauses = clausesOf(normalized.replaceAll('/', ' of '), null);
  const total = clauses.reduce((sum, clause) => sum + clause.words.length, 0);
  if (mode === 'answer') {
    const words = clauses[0]?.words ?? [];
    const fraction = fractionAt(words, 0);
    if (fraction) return { value: fraction.value, extraWords: total - fraction.length };
    const article = ratingWords.articles.matchAt(words, 0);
    const value = numberAt(words, article);
    const decimal = /^\d+[.,]\d/.test(trimPunctuation(normalized));
    if (value !== null && !decimal && !/^\d+\s*[-–]\s*\d/.test(trimPunctuation(normalized)))
      return value >= 1 && value <= 5 ? { value, extraWords: total - article - 1 } : null;
  }
  for (const clause of clauses) {
    const found = ratingIn(clause.words);
    if (found)
      return {
        value: found.value,
        extraWords: total - (clause.words.length - found.extraWords),
        direct: found.direct === true,
      };
  }
  return null;
}

/* --------------------------------------------------------------------------- items */

const nothingWords = new Set([
  'none',
  'nothing',
  'n/a',
  'na',
  'nil',
  'keine',
  'nichts',
  'aucun',
  'aucune',
  'rien',
  'ninguno',
  'ninguna',
  'nada',
  'nenhum',
  'nenhuma',
  'nessuno',
  'niente',
  'geen',
  'niets',
  'inga',
  'inget',
  'ingen',
  'ingenting',
  '-',
  '–',
  '—',
]);
const bullet = /^(?:[-*•·–—+]|\d{1,2}[.)])\s/u;

/** A list item without its bullet or number. */
export const withoutBullet = (line: string) => {
  const text = line.trim();
  const match = bullet.exec(text);
  return match ? text.slice(match[0].length).trim() : text;
};

/** The text without any of `chars` at its end, in linear time. */
export function withoutTrailing(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text[end - 1] ?? '')) end--;
  return text.slice(0, end);
}

/**
 * Topics or action items written on one line. Topics are short, so commas separate them
 * ("SQL tuning, career"); an action item may hold a comma, so only semicolons do.
 */
export function readItems(line: string, slot: 'topics' | 'actionItems'): string[] {
  const value = withoutBullet(line);
  const parts = slot === 'topics' ? value.replace(/\s+/g, ' ').split(/[;,]| [&/] /) : value.split(';');
  return parts
    .map((item) => withoutTrailing(withoutBullet(item), '.!').trim())
    .filter((item) => trimPunctuation(item) !== '' && !nothingWords.has(normalizeLine(item)));
}

/* -------------------------------------------------------------------------- labels */

const labelSlots: readonly [AnswerSlot, PhraseSet][] = [
  ['met', vocabulary.labels.met],
  ['topics', vocabulary.labels.topics],
  ['actionItems', vocabulary.labels.actionItems],
  ['rating', vocabulary.labels.rating],
  ['note', vocabulary.labels.note],
];

/** Where a label ends: a colon, an equals sign, a tab, a bar or a dash between spaces. */
function labelEnd(text: string): { at: number; length: number } | null {
  for (let index = 0; index < Math.min(text.length, 60); index++) {
    const char = text[index] ?? '';
    if (char === ':' || char === '=' || char === '\t' || char === '|') return { at: index, length: 1 };
    if ((char === '-' || char === '–' || char === '—') && text[index - 1] === ' ' && text[index + 1] === ' ')
      return { at: index, length: 1 };
  }
  return null;
}

const stripStars = (text: string) => {
  let start = 0;
  let end = text.length;
  while (start < end && (text[start] === '*' || text[start] === ' ')) start++;
  while (end > start && (text[end - 1] === '*' || text[end - 1] === ' ')) end--;
  return text.slice(start, end);
};

/** "Topics: SQL tuning", "Met\tyes", "Rating | 4" → the slot and the text after the label. */
export function readLabel(line: string): { slot: AnswerSlot; value: string } | null {
  if (line.length > maxAnswerChars) return null;
  const text = line.trim();
  const end = labelEnd(text);
  if (!end) return null;
  const words = tokenize(normalizeLine(stripStars(text.slice(0, end.at)))).map((token) => token.word);
  for (const [slot, labels] of labelSlots) {
    if (labels.isExactly(words)) return { slot, value: stripStars(text.slice(end.at + end.length)) };
  }
  return null;
}

const questionWords: [AnswerSlot, RegExp][] = [
  ['note', /\bpreviously committed\b/u],
  [
    'rating',
    /useful|\brat(?:e|ing)\b|\bscore|1 ?(?:[-–]|to|bis|à|a|tot|till|til) ?5|nützlich|hilfreich|bewert|utile|utilit|útil|valora|puntu|avalia|valut|nuttig|beoordel|användbar|betyg|nyttig|nytte|vurder/u,
  ],
  [
    'actionItems',
    /action|commit|next step|to-?dos?\b|aufgabe|vorgenommen|schritte|engag|tâche|étape|acci[oó]n|tarea|pasos|aç(?:ão|ões)|tarefa|passos|azion|impegn|compit|actie|stappen|åtgärd|uppgift|steg\b|handling|oppgave|opgave|skridt/u,
  ],
  [
    'topics',
    /topic|discuss|talk about|themen|thema\b|besproch|gesprochen|sujet|abordé|parlé|temas?\b|hablad|assunt|argoment|onderwerp|ämne|emner?\b|temaer/u,
  ],
  [
    'note',
    /organi[sz]er|organisator|organisateur|organizador|organizzator|should know|wissen sollte|devraient savoir|deberían saber/u,
  ],
  [
    'met',
    /(?<!\p{L})(?:meet|met)(?!\p{L})|getroffen|treffen|gesehen|rencontr|(?<!\p{L})vus?(?!\p{L})|reuni|visto|encontr|incontr|visti|ontmoet|gezien|gesproken|träff|møtt|møte|mødt|møde/u,
  ],
];

/** Which check-in question a line asks, from its words ("2. Which one or two topics did you talk about?"). */
export function questionOf(line: string): AnswerSlot | null {
  if (line.length > maxAnswerChars) return null;
  const text = normalizeLine(line);
  const count = wordCount(text);
  if (count === 0 || count > 25) return null;
  // The check-in quotes last round's action items back: an update on them is a note, not a new item.
  if (/\blast (?:time|round)\b/u.test(text) && text.includes('committed')) return 'note';
  return questionWords.find(([, words]) => words.test(text))?.[0] ?? null;
}

const organizersQuestion =
  /organi[sz]ers? should know|organisator(?:en|innen)? wissen|organisateurs devraient savoir|organizadores deber[ií]an saber/u;

/** The mentor's check-in asks what the organizers should know; the mentee's does not. */
export const asksOrganizersNote = (line: string) =>
  line.length <= maxAnswerChars && organizersQuestion.test(normalizeLine(line));

/** "1. yes", "2) SQL tuning", "3 - read the book": the number and what follows it. */
export function readNumbered(line: string): { number: number; value: string } | null {
  if (line.length > maxAnswerChars) return null;
  const text = line.trimStart();
  const match = /^\(?(?:q|question|frage)? ?(\d{1,2})(?:[.:](?=\s|$)|[)\]]|\s[–-](?=\s))/iu.exec(text);
  return match?.[1] ? { number: Number(match[1]), value: text.slice(match[0].length).trim() } : null;
}

/* ------------------------------------------------------------ greetings, sign-offs */

/** "Hi Tandem," — a greeting with at most a name after it. */
export function isGreeting(line: string): boolean {
  if (line.length > maxAnswerChars) return false;
  const words = tokenize(normalizeLine(line)).map((token) => token.word);
  const length = vocabulary.greetings.matchAt(words, 0);
  if (length === 0) return false;
  const rest = words.slice(length).join(' ');
  return words.length - length <= 3 && readMet(rest, 'answer') === null && commandOf(rest) === null;
}

/** "Thanks, Anna", "Mit freundlichen Grüßen / Kind regards" — a closing with at most a name after it. */
export function isClosing(line: string): boolean {
  if (line.length > maxAnswerChars) return false;
  const words = tokenize(normalizeLine(line)).map((token) => token.word);
  const length = vocabulary.closings.matchAt(words, 0);
  if (length === 0) return false;
  const second = vocabulary.closings.matchAt(words, length);
  return words.length - length - second <= 2;
}

/** A line that may stand under a closing: a name, a title ("Anna", "Senior Data Engineer"). */
export const isSignOffLine = (line: string) => wordCount(line) <= 4 && !/[\d:@]/.test(line);

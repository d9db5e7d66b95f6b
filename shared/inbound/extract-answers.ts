import type { AnswerConfidence, Confidence } from '../cohorts/answer.ts';
import {
  type AnswerSlot,
  asksOrganizersNote,
  isClosing,
  isGreeting,
  isSignOffLine,
  questionOf,
  readItems,
  readLabel,
  readMet,
  readNumbered,
  readRating,
  withoutBullet,
} from './answer-words.ts';
import {
  type Command,
  commandIn,
  doubtsParticipation,
  type Intent,
  strongestCommand,
  subjectWithoutPrefixes,
} from './intents.ts';
import { normalizeLine, wordCount, wordsOf } from './reply-words.ts';
import type { NewTextBlock } from './strip-quotes.ts';
import { vocabulary } from './vocabulary.ts';

/**
 * Reads the answers to a check-in from the participant's new text. Each line is placed by
 * what the participant gave to go on, strongest first: the quoted question it stands under
 * (inline replies), its number ("2) SQL tuning"), its label ("Topics: …"), the question
 * copied in front of it ("Did you meet? Yes"), the line before it (a list goes on), and, when
 * the reply has none of these, its position ("a line per question", or one line split by
 * "/", "|", " - " or ";"). Lines placed nowhere are read as prose, clause by clause, for
 * whether the pair met and how useful it was. Whatever does not fit an answer is kept
 * verbatim in `note`, and every answer says how sure the reading is.
 */

export type Role = 'mentee' | 'mentor';

export interface Answers {
  met: boolean | null;
  topics: string[];
  actionItems: string[];
  /** How useful the meeting was, 1–5. */
  rating: number | null;
}

export type { AnswerConfidence, Confidence };

export interface ExtractedAnswers {
  answers: Answers;
  /** null when a command was said with doubt ("maybe I should pause?"): left to the organizers. */
  intent: Intent | null;
  /** The participant's text that is no answer and no command, verbatim. */
  note: string;
  confidence: AnswerConfidence;
}

/** The questions of each check-in, in their order in the email. */
const checkInQuestions: Record<Role, readonly AnswerSlot[]> = {
  mentee: ['met', 'topics', 'actionItems', 'rating'],
  mentor: ['met', 'note', 'rating'],
};

/** Answers stand at the top: lines past this many are not read for answers, only kept in the note. */
export const maxAnswerLines = 100;

/** A value that would mean more than its answer ("Yes, at the café on Tuesday") also stays in the note. */
const maxExtraWords = 2;

interface Line {
  text: string;
  /** The check-in question quoted right above this line, for the first line of an inline answer. */
  question: AnswerSlot | null;
}

interface Placed {
  slot: AnswerSlot;
  value: string;
  line: number;
  /** The line that named the slot without a value ("Action items:"), kept only if a value follows. */
  header?: number;
  /** Placed by its position only: a guess. */
  guessed?: boolean;
}

const blank = (text: string) => text.trim() === '';

function questionAbove(quoted: readonly string[], questions: readonly AnswerSlot[]): AnswerSlot | null {
  const asked = quoted.filter((line) => !blank(line)).slice(-4);
  for (const line of asked.reverse()) {
    const slot = questionOf(line);
    if (slot && questions.includes(slot)) return slot;
    const numbered = readNumbered(line);
    if (numbered) return questions[numbered.number - 1] ?? null;
  }
  return null;
}

/** "Did you meet since last time? Yes", "Did you meet? | Yes" → met, "Yes". */
function readEcho(text: string): { slot: AnswerSlot; value: string } | null {
  const mark = text.lastIndexOf('?');
  if (mark <= 0 || text.length > 1_000) return null;
  const slot = questionOf(text.slice(0, mark));
  if (!slot) return null;
  let value = text.slice(mark + 1).trim();
  while (value.startsWith('|') || value.startsWith(':')) value = value.slice(1).trim();
  return { slot, value };
}

/** Sign-off at the end: a closing ("Thanks,") and at most three short lines under it. */
function signOffStart(lines: readonly Line[], ignored: ReadonlySet<number>): number | null {
  const content = lines.flatMap((line, index) => (blank(line.text) || ignored.has(index) ? [] : [index]));
  for (let from = content.length - 1; from >= Math.max(0, content.length - 4); from--) {
    const index = content[from];
    if (index === undefined) continue;
    const text = lines[index]?.text ?? '';
    if (isClosing(text)) return index;
    if (!isSignOffLine(text)) return null;
  }
  return null;
}

function flatten(blocks: readonly NewTextBlock[], questions: readonly AnswerSlot[]): Line[] {
  return blocks.flatMap((block, index) => {
    const question = questionAbove(block.quoted, questions);
    const lines = block.lines.map((text, at) => ({ text, question: at === 0 ? question : null }));
    return index === 0 ? lines : [{ text: '', question: null }, ...lines];
  });
}

export interface ExtractOptions {
  /** Whose check-in this replies to; guessed from the quoted check-in when not given. */
  role?: Role | undefined;
  /** The quoted history, to guess the role from. */
  history?: readonly string[] | undefined;
  /** A bare command in the subject ("unsubscribe") counts like a line of the body. */
  subject?: string | undefined;
}

export function guessRole(blocks: readonly NewTextBlock[], history: readonly string[] = []): Role {
  const quoted = [...blocks.flatMap((block) => block.quoted), ...history];
  return quoted.some(asksOrganizersNote) ? 'mentor' : 'mentee';
}

export function extractAnswers(
  blocks: readonly NewTextBlock[],
  options: ExtractOptions = {},
): ExtractedAnswers {
  const questions = checkInQuestions[options.role ?? guessRole(blocks, options.history)];
  const all = flatten(blocks, questions);
  const lines = all.slice(0, maxAnswerLines);
  const ignored = new Set<number>();
  const consumed = new Set<number>();
  // A command with a reason around it: no answer, but the line stays in the note.
  const commandWithReason = new Set<number>();

  const commands: Command[] = [];
  let doubt = false;
  let partial = false;
  for (const [index, line] of lines.entries()) {
    const found = commandIn(line.text);
    if (found?.doubtful) doubt = true;
    else if (found) {
      commands.push(found.command);
      if (found.whole) ignored.add(index);
      else {
        commandWithReason.add(index);
        partial = true;
      }
    } else if (doubtsParticipation(line.text)) doubt = true;
  }
  const subjectCommand = options.subject ? commandIn(subjectWithoutPrefixes(options.subject)) : null;
  if (subjectCommand?.whole) commands.push(subjectCommand.command);

  const first = lines.findIndex((line, index) => !blank(line.text) && !ignored.has(index));
  if (first >= 0 && lines[first]?.question === null && isGreeting(lines[first]?.text ?? ''))
    ignored.add(first);
  const signOff = signOffStart(lines, ignored);
  if (signOff !== null) for (let index = signOff; index < lines.length; index++) ignored.add(index);

  const notAnswers = new Set([...ignored, ...commandWithReason]);
  const placed = placeLines(lines, notAnswers, questions);
  const unplaced = lines.flatMap((line, index) =>
    blank(line.text) || notAnswers.has(index) || placed.some((each) => each.line === index) ? [] : [index],
  );
  if (placed.length === 0) placed.push(...placeByPosition(lines, unplaced, questions));
  if (placed.length === 0) placed.push(...placeOneLiner(lines, unplaced, questions));

  const answers: Answers = { met: null, topics: [], actionItems: [], rating: null };
  const unsure = new Set<keyof Answers>();
  readPlaced(placed, answers, consumed, unsure);
  readProse(lines, unplaced, placed, answers, consumed, unsure);

  const note = [
    ...lines.map((line, index) => (ignored.has(index) || consumed.has(index) ? null : line.text)),
    ...all.slice(maxAnswerLines).map((line) => line.text),
  ]
    .filter((text): text is string => text !== null)
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  const command = strongestCommand(commands);
  const intent = command ?? (doubt ? null : 'continue');
  const level = (slot: keyof Answers): Confidence => (unsure.has(slot) ? 'low' : 'high');
  return {
    answers,
    intent,
    note,
    confidence: {
      met: level('met'),
      topics: level('topics'),
      actionItems: level('actionItems'),
      rating: level('rating'),
      intent:
        doubt || (partial && command !== null && !commands.every((each) => each === command))
          ? 'low'
          : 'high',
    },
  };
}

/** Places lines by inline question, number, label, echoed question and continuation. */
function placeLines(lines: readonly Line[], ignored: ReadonlySet<number>, questions: readonly AnswerSlot[]) {
  const placed: Placed[] = [];
  let current: {
    slot: AnswerSlot;
    by: 'inline' | 'number' | 'label';
    header?: number;
    filled: boolean;
  } | null = null;
  let lastNumber = 0;

  for (const [index, line] of lines.entries()) {
    if (ignored.has(index)) continue;
    if (blank(line.text)) {
      if (current?.filled) current = null;
      continue;
    }
    if (line.question) current = { slot: line.question, by: 'inline', filled: false };

    let value: string | null = null;
    const numbered = readNumbered(line.text);
    // Under "Action items:" a numbered line is an item of the list, not the answer to question 1.
    const inList = current !== null && current.by !== 'number' && lists.has(current.slot);
    const named = line.question ? null : (readLabel(line.text) ?? readEcho(line.text));
    if (
      numbered &&
      !line.question &&
      !inList &&
      numbered.number > lastNumber &&
      numbered.number <= questions.length
    ) {
      lastNumber = numbered.number;
      const slot = questions[numbered.number - 1] ?? 'note';
      const inside = readLabel(numbered.value) ?? readEcho(numbered.value);
      current = { slot, by: 'number', filled: false };
      value = inside && (inside.slot === slot || inside.value === '') ? inside.value : numbered.value;
    } else if (named) {
      current = { slot: named.slot, by: 'label', filled: false };
      value = named.value;
    } else if (
      current &&
      lists.has(current.slot) &&
      bulleted(line.text) &&
      isRatingOnly(withoutBullet(line.text))
    ) {
      // "- 4/5" at the end of a bulleted reply is the rating, not one more item.
      current = { slot: 'rating', by: 'label', filled: false };
      value = withoutBullet(line.text);
    } else if (current && continues(current, line.text)) {
      value = numbered && inList ? numbered.value : line.text;
    } else {
      current = null;
    }
    if (value === null || current === null) continue;
    if (blank(value)) {
      current.header = index;
      continue;
    }
    placed.push({
      slot: current.slot,
      value,
      line: index,
      ...(current.header === undefined ? {} : { header: current.header }),
    });
    current.filled = true;
  }
  return placed;
}

const lists = new Set<AnswerSlot>(['topics', 'actionItems']);
/** "4/5", "8/10", "★★★★": a line that is a rating on a scale, and nothing else. */
const isRatingOnly = (text: string) => /[/★⭐*]/.test(text) && readRating(text, 'answer')?.extraWords === 0;
const bulleted = (text: string) => withoutBullet(text) !== text.trim();

/**
 * Does a line go on with the answer above it? Under a quoted question, or under a label or
 * number with nothing after it, yes; after a one-line answer, only a list item does, so a
 * remark after "2. SQL tuning" stays a remark.
 */
function continues(current: { slot: AnswerSlot; by: string; filled: boolean }, text: string): boolean {
  return (
    current.by === 'inline' ||
    !current.filled ||
    current.slot === 'note' ||
    (lists.has(current.slot) && bulleted(text))
  );
}

/** A topic is a subject ("SQL tuning"), not a sentence about someone ("She was great"). */
const startsWithPronoun = (text: string) => vocabulary.pronouns.matchAt(wordsOf(text), 0) > 0;

const readsAsMet = (text: string) => {
  const met = readMet(text, 'prose') ?? readMet(text, 'answer');
  return met && met.extraWords <= maxExtraWords ? met : null;
};

/** Whether values placed by position look like the answers of their slots. */
function plausible(placed: readonly Placed[], extra: number): boolean {
  const ratingPlaced = placed.some(
    ({ slot, value }) => slot === 'rating' && readRating(value, 'answer')?.value != null,
  );
  return (
    placed.every(
      ({ slot, value }) =>
        (slot !== 'topics' || (wordCount(normalizeLine(value)) <= 8 && !startsWithPronoun(value))) &&
        (slot !== 'actionItems' || readRating(value, 'answer')?.extraWords !== 0) &&
        (slot !== 'rating' || ratingPlaced),
    ) &&
    (extra === 0 || ratingPlaced)
  );
}

/**
 * "A line per question is enough": three or more plain lines from the first that is a yes or
 * no are read in the order of the questions; lines before it stay in the note. After a "no",
 * the rest is a note, not topics. Lines that do not look like their answers make the guess
 * fall back to prose; lines beyond the questions stay in the note, and are allowed only when
 * the rating stands where it should.
 */
function placeByPosition(
  lines: readonly Line[],
  unplaced: readonly number[],
  questions: readonly AnswerSlot[],
): Placed[] {
  // A line or two before the answers ("Here are my answers:") stays in the note.
  const start = unplaced.findIndex((index) => readsAsMet(lines[index]?.text ?? '') !== null);
  const answerLines = start === -1 ? [] : unplaced.slice(start);
  const met = answerLines[0] === undefined ? null : readsAsMet(lines[answerLines[0]]?.text ?? '');
  if (!met || answerLines.length < 3) return [];
  const placed = answerLines.slice(0, met.value ? questions.length : 1).map(
    (line, position): Placed => ({
      slot: questions[position] ?? 'note',
      value: lines[line]?.text ?? '',
      line,
      // Fewer lines than questions: which answer each line is remains a guess.
      guessed: position > 0 && answerLines.length < questions.length,
    }),
  );
  return plausible(placed, Math.max(0, answerLines.length - questions.length)) ? placed : [];
}

/** Separators of answers written on one line, in the order of the questions. */
const oneLineSeparators = [' / ', ' | ', ' - ', ' – ', ';', '/', '|'];

/**
 * "yes / negotiation + CV / update CV & apply to 3 jobs / 4": one line, split by a separator
 * into as many parts as there are questions (or one fewer), the first a yes or no.
 */
function placeOneLiner(
  lines: readonly Line[],
  unplaced: readonly number[],
  questions: readonly AnswerSlot[],
): Placed[] {
  for (const index of unplaced) {
    const text = lines[index]?.text ?? '';
    // Answers on one line are short: a line of sentences is prose.
    if (text.length > 300 || /[.!?]\s/.test(text)) continue;
    for (const separator of oneLineSeparators) {
      const parts = text.split(separator).map((part) => part.trim());
      if (parts.length < Math.max(2, questions.length - 1) || parts.length > questions.length) continue;
      if (parts.some((part) => wordCount(normalizeLine(part)) > 10)) continue;
      const met = readMet(parts[0] ?? '', 'answer');
      if (!met || met.extraWords > maxExtraWords) continue;
      const placed = parts.map(
        (value, position): Placed => ({ slot: questions[position] ?? 'note', value, line: index }),
      );
      const useful = met.value ? placed : placed.slice(0, 1);
      if (
        plausible(
          useful.filter((each) => each.value !== '-'),
          0,
        ) ||
        !met.value
      )
        return useful;
    }
  }
  return [];
}

/** Reads the placed values into answers; a note, and a value that cannot be read, stay in the note. */
function readPlaced(
  placed: readonly Placed[],
  answers: Answers,
  consumed: Set<number>,
  unsure: Set<keyof Answers>,
) {
  const take = (entry: Placed, extraWords = 0) => {
    if (extraWords <= maxExtraWords) consumed.add(entry.line);
    if (entry.header !== undefined) consumed.add(entry.header);
  };
  const mets = placed.filter((entry) => entry.slot === 'met');
  const metReadings = mets.map((entry) => readMet(entry.value, 'answer'));
  const metValues = new Set(metReadings.flatMap((reading) => (reading ? [reading.value] : [])));
  // Two different answers to the same question: leave it to the organizers.
  if (metValues.size > 1) unsure.add('met');
  if (metValues.size === 1) {
    answers.met = [...metValues][0] ?? null;
    mets.forEach((entry, at) => {
      const reading = metReadings[at];
      if (reading) take(entry, reading.extraWords);
    });
  }

  for (const entry of placed) {
    if (entry.slot === 'topics' || entry.slot === 'actionItems') {
      const items = readItems(entry.value, entry.slot);
      answers[entry.slot].push(...items);
      if (entry.guessed && items.length > 0) unsure.add(entry.slot);
      take(entry);
    } else if (entry.slot === 'rating' || entry.slot === 'note') {
      // A note that is only a rating ("Note : 4/5" in French) is the rating.
      const rating = readRating(entry.value, 'answer');
      const isRating = rating && (entry.slot === 'rating' || rating.extraWords === 0);
      if (isRating && answers.rating === null) {
        answers.rating = rating.value;
        if (rating.value === null) unsure.add('rating');
        take(entry, rating.extraWords);
      } else if (entry.slot === 'rating' && !blank(entry.value)) unsure.add('rating');
    }
  }
}

/** The sentences of a line: labels may start one mid-line ("Yes, we met. Topics: pricing."). */
const sentencesOf = (text: string) => text.split(/(?<=[.!?])\s+/u);

/**
 * Lines placed nowhere may still say whether the pair met or how useful it was, in prose:
 * each line is read clause by clause (see `readMet` and `readRating`); a sentence that starts
 * with a label ("Topics: pricing.") answers its question. Prose readings are `low`
 * confidence unless the line is little more than the answer; lines that disagree leave the
 * answer to the organizers.
 */
function readProse(
  lines: readonly Line[],
  unplaced: readonly number[],
  placed: readonly Placed[],
  answers: Answers,
  consumed: Set<number>,
  unsure: Set<keyof Answers>,
) {
  const isPlaced = new Set(placed.map((entry) => entry.line));
  const metAnswered = placed.some((entry) => entry.slot === 'met');
  const ratingAnswered = answers.rating !== null || placed.some((entry) => entry.slot === 'rating');
  const metSeen = new Set<boolean>();
  let ratingSeen: number | null | undefined;
  for (const index of unplaced) {
    if (isPlaced.has(index)) continue;
    const text = lines[index]?.text ?? '';
    if (text.length > 1_000) continue;
    for (const sentence of sentencesOf(text)) {
      const label = readLabel(sentence);
      if (label && lists.has(label.slot) && answers[label.slot as 'topics'].length === 0) {
        answers[label.slot as 'topics'].push(...readItems(label.value, label.slot as 'topics'));
      }
    }
    const met = metAnswered ? null : readMet(text, 'prose');
    const rating = ratingAnswered ? null : readRating(text, 'prose');
    if (met) {
      metSeen.add(met.value);
      if (!met.direct) unsure.add('met');
    }
    if (rating && ratingSeen === undefined) {
      ratingSeen = rating.value;
      if (!rating.direct || rating.value === null) unsure.add('rating');
    }
    // A line that says both is more than either answer: it stays in the note.
    const only = met && rating ? null : (met ?? rating);
    if (only && only.extraWords <= maxExtraWords && only.value !== null) consumed.add(index);
  }
  if (metSeen.size === 1) answers.met = [...metSeen][0] ?? null;
  else if (metSeen.size > 1) unsure.add('met');
  if (ratingSeen !== undefined && answers.rating === null) answers.rating = ratingSeen;
}

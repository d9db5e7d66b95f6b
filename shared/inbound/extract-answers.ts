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
import { commandIn, commandOf, type Intent, strongestCommand, subjectWithoutPrefixes } from './intents.ts';
import { normalizeLine, startsWithWords, wordCount } from './reply-words.ts';
import type { NewTextBlock } from './strip-quotes.ts';

/**
 * Reads the answers to a check-in from the participant's new text. Each line is placed by
 * what the participant gave to go on, strongest first: the quoted question it stands under
 * (inline replies), its number ("2) SQL tuning"), its label ("Topics: …"), the question
 * copied in front of it ("Did you meet? Yes"), the line before it (a list goes on), and, when
 * the reply has none of these, its position ("a line per question"). Whatever does not fit
 * an answer is kept verbatim in `note`.
 */

export type Role = 'mentee' | 'mentor';

export interface Answers {
  met: boolean | null;
  topics: string[];
  actionItems: string[];
  /** How useful the meeting was, 1–5. */
  rating: number | null;
}

export interface ExtractedAnswers {
  answers: Answers;
  intent: Intent;
  /** The participant's text that is no answer and no command, verbatim. */
  note: string;
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

/** "Did you meet since last time? Yes" → met, "Yes". */
function readEcho(text: string): { slot: AnswerSlot; value: string } | null {
  const mark = text.lastIndexOf('?');
  if (mark <= 0) return null;
  const slot = questionOf(text.slice(0, mark));
  return slot ? { slot, value: text.slice(mark + 1).trim() } : null;
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

function guessRole(blocks: readonly NewTextBlock[], history: readonly string[] = []): Role {
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
  // A command with a reason after it: no answer, but the reason stays in the note.
  const commandWithReason = new Set<number>();

  const commands = lines.flatMap((line, index) => {
    const found = commandIn(line.text);
    if (found?.whole) ignored.add(index);
    else if (found) commandWithReason.add(index);
    return found ? [found.command] : [];
  });
  const subjectCommand = options.subject ? commandOf(subjectWithoutPrefixes(options.subject)) : null;
  if (subjectCommand) commands.push(subjectCommand);

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

  const answers: Answers = { met: null, topics: [], actionItems: [], rating: null };
  readPlaced(placed, answers, consumed);
  readProse(lines, unplaced, placed, answers, consumed);

  const note = [
    ...lines.map((line, index) => (ignored.has(index) || consumed.has(index) ? null : line.text)),
    ...all.slice(maxAnswerLines).map((line) => line.text),
  ]
    .filter((text): text is string => text !== null)
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { answers, intent: strongestCommand(commands) ?? 'continue', note };
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
const startsWithPronoun = startsWithWords(
  'i we she he it they you my our ich wir sie er es je nous elle il on yo ella él eu nós ela ele io noi lei lui ik wij zij hij het jag vi hon han det jeg hun'.split(
    ' ',
  ),
);

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
) {
  const readsAsMet = (index: number) => {
    const text = lines[index]?.text ?? '';
    const met = readMet(text, 'prose') ?? readMet(text, 'answer');
    return met && met.extraWords <= maxExtraWords ? met : null;
  };
  // A line or two before the answers ("Here are my answers:") stays in the note.
  const start = unplaced.findIndex((index) => readsAsMet(index) !== null);
  const answerLines = start === -1 ? [] : unplaced.slice(start);
  const met = answerLines[0] === undefined ? null : readsAsMet(answerLines[0]);
  if (!met || answerLines.length < 3) return [];
  const placed = answerLines.slice(0, met.value ? questions.length : 1).map(
    (line, position): Placed => ({
      slot: questions[position] ?? 'note',
      value: lines[line]?.text ?? '',
      line,
    }),
  );
  const ratingPlaced = placed.some(({ slot, value }) => slot === 'rating' && readRating(value, 'answer'));
  const plausible = placed.every(
    ({ slot, value }) =>
      (slot !== 'topics' || (wordCount(value) <= 8 && !startsWithPronoun.test(normalizeLine(value)))) &&
      (slot !== 'actionItems' || readRating(value, 'answer')?.extraWords !== 0) &&
      (slot !== 'rating' || ratingPlaced),
  );
  return plausible && (answerLines.length <= questions.length || ratingPlaced) ? placed : [];
}

/** Reads the placed values into answers; a note, and a value that cannot be read, stay in the note. */
function readPlaced(placed: readonly Placed[], answers: Answers, consumed: Set<number>) {
  const take = (entry: Placed, extraWords = 0) => {
    if (extraWords <= maxExtraWords) consumed.add(entry.line);
    if (entry.header !== undefined) consumed.add(entry.header);
  };
  const mets = placed.filter((entry) => entry.slot === 'met');
  const metReadings = mets.map((entry) => readMet(entry.value, 'answer'));
  const metValues = new Set(metReadings.flatMap((reading) => (reading ? [reading.value] : [])));
  // Two different answers to the same question: leave it to the organizers.
  if (metValues.size === 1) {
    answers.met = [...metValues][0] ?? null;
    mets.forEach((entry, at) => {
      const reading = metReadings[at];
      if (reading) take(entry, reading.extraWords);
    });
  }

  for (const entry of placed) {
    if (entry.slot === 'topics' || entry.slot === 'actionItems') {
      answers[entry.slot].push(...readItems(entry.value, entry.slot));
      take(entry);
    } else if (entry.slot === 'rating' || entry.slot === 'note') {
      // A note that is only a rating ("Note : 4/5" in French) is the rating.
      const rating = readRating(entry.value, 'answer');
      const isRating = rating && (entry.slot === 'rating' || rating.extraWords === 0);
      if (isRating && answers.rating === null) {
        answers.rating = rating.value;
        take(entry, rating.extraWords);
      }
    }
  }
}

/** Lines placed nowhere may still say, unmistakably, whether the pair met or how useful it was. */
function readProse(
  lines: readonly Line[],
  unplaced: readonly number[],
  placed: readonly Placed[],
  answers: Answers,
  consumed: Set<number>,
) {
  const isPlaced = new Set(placed.map((entry) => entry.line));
  const metAnswered = placed.some((entry) => entry.slot === 'met');
  for (const index of unplaced) {
    if (isPlaced.has(index)) continue;
    const text = lines[index]?.text ?? '';
    const met = metAnswered || answers.met !== null ? null : readMet(text, 'prose');
    const rating = answers.rating !== null ? null : readRating(text, 'prose');
    if (met) answers.met = met.value;
    if (rating) answers.rating = rating.value;
    // A line that says both is more than either answer: it stays in the note.
    const only = met && rating ? null : (met ?? rating);
    if (only && only.extraWords <= maxExtraWords) consumed.add(index);
  }
}

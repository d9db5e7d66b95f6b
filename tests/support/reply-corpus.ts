import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type UnderstoodReply, understandReply } from '../../shared/inbound/understand-reply.ts';

/**
 * The reply corpus (`tests/fixtures/replies`): raw messages as mail clients write them, each
 * with the `.expected.json` that says what its writer meant. Shared by the corpus test and
 * `npm run eval:replies`, so both score the same way.
 */
export const corpusDir = join(import.meta.dirname, '..', 'fixtures', 'replies');

export interface Expected {
  kind: string;
  text: string;
  intent: string | null;
  answers: { met: boolean | null; topics: string[]; actionItems: string[]; rating: number | null };
  replyKey: string | null;
  /** Only some messages pin their note down exactly. */
  note?: string;
}

export interface CorpusEntry {
  name: string;
  expected: Expected;
  actual: UnderstoodReply;
}

export const fields = [
  'kind',
  'replyKey',
  'text (exact)',
  'text (lenient)',
  'intent',
  'met',
  'rating',
  'topics',
  'actionItems',
] as const;
export type Field = (typeof fields)[number];

/** What the issue asks of the corpus, in per cent of the messages each field is scored on. */
export const targets: Partial<Record<Field, number>> = {
  kind: 100,
  replyKey: 100,
  'text (exact)': 95,
  'text (lenient)': 98,
  intent: 98,
  met: 98,
  rating: 95,
};

/** Intents that stop mail or participation: reading one that was not asked for harms someone. */
export const harmfulIntents = new Set(['pause', 'exit', 'unsubscribe']);

export function corpusNames(dir = corpusDir): string[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.eml'))
    .map((file) => file.slice(0, -'.eml'.length))
    .sort();
}

export async function readCorpus(dir = corpusDir): Promise<CorpusEntry[]> {
  const entries: CorpusEntry[] = [];
  for (const name of corpusNames(dir)) entries.push(await readEntry(name, dir));
  return entries;
}

export async function readEntry(name: string, dir = corpusDir): Promise<CorpusEntry> {
  const expected = JSON.parse(readFileSync(join(dir, `${name}.expected.json`), 'utf8')) as Expected;
  const understood = await understandReply(readFileSync(join(dir, `${name}.eml`)), {
    inboundDomain: 'in.tandem.example',
  });
  if (!understood.ok) throw new Error(`${name}: ${understood.problem}`);
  return { name, expected, actual: understood.reply };
}

const folded = (text: string) => text.toLowerCase().replace(/\s+/g, ' ').trim();
/** Items compared without case, spacing or a full stop at their end. */
const items = (list: readonly string[]) => list.map((item) => folded(item).replace(/[.!]$/, '')).join(' | ');

/**
 * The same text give or take white space and case, and a sign-off, a name or a stray line
 * more or less: one contains the other, and what only one has is at most 40 characters or a
 * fifth of the longer.
 */
export function sameTextLeniently(expected: string, actual: string): boolean {
  const [a, b] = [folded(expected), folded(actual)];
  if (a === b) return true;
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  return (
    shorter !== '' &&
    longer.includes(shorter) &&
    longer.length - shorter.length <= Math.max(40, longer.length / 5)
  );
}

export interface Miss {
  name: string;
  field: Field;
  expected: unknown;
  actual: unknown;
}

export interface Score {
  field: Field;
  correct: number;
  scored: number;
}

/**
 * Scores every field over the messages where it means something: kind and key over all;
 * text and intent over replies; met and rating over replies where either side has a value
 * (so a wrong guess counts, and two nulls do not inflate the score); topics and action items
 * likewise where either side has items.
 */
export function scoreCorpus(entries: readonly CorpusEntry[]): {
  scores: Score[];
  misses: Miss[];
  harmful: Miss[];
} {
  const misses: Miss[] = [];
  const tally = new Map<Field, Score>(fields.map((field) => [field, { field, correct: 0, scored: 0 }]));
  const score = (entry: CorpusEntry, field: Field, expected: unknown, actual: unknown, same: boolean) => {
    const counted = tally.get(field);
    if (!counted) return;
    counted.scored++;
    if (same) counted.correct++;
    else misses.push({ name: entry.name, field, expected, actual });
  };
  for (const entry of entries) {
    const { expected, actual } = entry;
    score(entry, 'kind', expected.kind, actual.kind, expected.kind === actual.kind);
    score(entry, 'replyKey', expected.replyKey, actual.replyKey, expected.replyKey === actual.replyKey);
    if (expected.kind !== 'reply') continue;
    score(entry, 'text (exact)', expected.text, actual.text, expected.text === actual.text);
    score(entry, 'text (lenient)', expected.text, actual.text, sameTextLeniently(expected.text, actual.text));
    score(entry, 'intent', expected.intent, actual.intent, expected.intent === actual.intent);
    const { met, rating, topics, actionItems } = expected.answers;
    if (met !== null || actual.answers.met !== null)
      score(entry, 'met', met, actual.answers.met, met === actual.answers.met);
    if (rating !== null || actual.answers.rating !== null)
      score(entry, 'rating', rating, actual.answers.rating, rating === actual.answers.rating);
    if (topics.length > 0 || actual.answers.topics.length > 0)
      score(entry, 'topics', topics, actual.answers.topics, items(topics) === items(actual.answers.topics));
    if (actionItems.length > 0 || actual.answers.actionItems.length > 0)
      score(
        entry,
        'actionItems',
        actionItems,
        actual.answers.actionItems,
        items(actionItems) === items(actual.answers.actionItems),
      );
  }
  const harmful = misses.filter((miss) => miss.field === 'intent' && harmfulIntents.has(String(miss.actual)));
  return { scores: [...tally.values()], misses, harmful };
}

export const percent = ({ correct, scored }: Score) => (scored === 0 ? 100 : (100 * correct) / scored);

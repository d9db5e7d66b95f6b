import type { SurveyAnswers } from '../cohorts/answer.ts';
import { type MidpointDecision, midpointDecisions } from '../cohorts/answer.ts';
import words from './survey-words.json' with { type: 'json' };

/**
 * The answers to the mid-point and close-out surveys, read from a reply's new text: numbered
 * ("2. 4"), labelled ("Useful: 4"), or one line per question in order. Both roles' surveys ask
 * in the same order (see the templates): mid-point — met, usefulness 1–5, the decision for the
 * second half, what would help; close-out — usefulness 1–5, how likely they are to recommend
 * the program 0–10, what they take away, whether they would mentor. A value that cannot be
 * read is left out: a missing answer is better than a wrong one.
 */
export type SurveyKind = 'midpoint-survey' | 'closeout-survey';
type Field = 'met' | 'usefulness' | 'decision' | 'help' | 'nps' | 'other';

const questions: Record<SurveyKind, Field[]> = {
  'midpoint-survey': ['met', 'usefulness', 'decision', 'help'],
  'closeout-survey': ['usefulness', 'nps', 'other', 'other'],
};

/** Lines longer than this are prose: never read as an answer. */
const maxLineChars = 500;
/** At most this many lines are read. */
const maxLines = 40;

const numbered = /^(\d{1,2})\s*[.):-](.*)$/;
const labelled = /^([^:]{1,40}):(.*)$/;
const integer = /\d+/;

export function readSurvey(text: string, kind: SurveyKind): SurveyAnswers {
  const fields = questions[kind];
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && line.length <= maxLineChars)
    .slice(0, maxLines);
  const values = new Map<Field, string>();
  let position = 0;
  for (const line of lines) {
    const number = numbered.exec(line);
    if (number) {
      const field = fields[Number(number[1]) - 1];
      if (field && !values.has(field)) values.set(field, (number[2] ?? '').trim());
      continue;
    }
    const label = labelled.exec(line);
    const field = label ? fieldOfLabel(label[1] ?? '') : undefined;
    if (label && field) {
      if (!values.has(field)) values.set(field, (label[2] ?? '').trim());
      continue;
    }
    // One line per question, in order.
    const next = fields[position++];
    if (next && !values.has(next)) values.set(next, line);
  }

  const survey: SurveyAnswers = {};
  const usefulness = numberIn(values.get('usefulness'), 1, 5);
  if (usefulness !== undefined) survey.usefulness = usefulness;
  const nps = numberIn(values.get('nps'), 0, 10);
  if (nps !== undefined) survey.nps = nps;
  const decision = decisionIn(values.get('decision'));
  if (decision) survey.decision = decision;
  const help = values.get('help')?.trim();
  if (help) survey.help = help;
  return survey;
}

function fieldOfLabel(label: string): Field | undefined {
  const text = label.trim().toLowerCase();
  for (const [field, labels] of Object.entries(words.labels) as [Field, string[]][]) {
    if (labels.includes(text)) return field;
  }
  return undefined;
}

/** The first whole number of the answer, when it is in range ("9", "9/10", "a 4"). */
function numberIn(value: string | undefined, min: number, max: number): number | undefined {
  const match = value === undefined ? null : integer.exec(value);
  if (!match) return undefined;
  const number = Number(match[0]);
  return number >= min && number <= max ? number : undefined;
}

function decisionIn(value: string | undefined): MidpointDecision | undefined {
  if (!value) return undefined;
  const text = value.toLowerCase();
  // The longest phrase that the answer starts with or contains decides ("change focus" over "continue").
  let best: { decision: MidpointDecision; length: number } | undefined;
  for (const decision of midpointDecisions) {
    for (const phrase of words.decisions[decision]) {
      if (text.includes(phrase) && (!best || phrase.length > best.length))
        best = { decision, length: phrase.length };
    }
  }
  return best?.decision;
}

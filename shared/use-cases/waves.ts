import type { Cohort, Participant } from '../cohorts/cohort.ts';
import { invalidInput } from '../errors.ts';
import { type CalendarRound, cohortCalendar } from '../program/calendar.ts';
import { loadCohort } from './load-cohort.ts';
import { type PairMessageOptions, pairMessages } from './pair-messages.ts';
import { type MailDeps, type SendSummary, sendToParticipants } from './send-emails.ts';

/**
 * A wave is one kind of email to both sides of every pair, each in their own morning:
 * introductions, a round's check-ins (or its mid-point or close-out survey), the round's
 * nudges, the thank-you. The workflow sends a wave in batches of participants, one morning
 * (time zone) after another; every wave is safe to re-run because the ledger sends once.
 */
export const waveKinds = ['introductions', 'check-in', 'nudge', 'thank-you'] as const;
export type WaveKind = (typeof waveKinds)[number];

export interface Wave {
  cohortId: string;
  kind: WaveKind;
  /** 0 for the first introductions; a later round for rematches' introductions. Ignored for the thank-you. */
  round: number;
  /** Only participants whose local morning has come by then (ISO instant); all when absent. */
  dueBy?: string;
  /** …and came after this (ISO instant): an earlier plan of the wave covered the others. */
  dueAfter?: string;
}

export interface WaveBatch {
  /** 0-based batch index, of `of` batches of the same wave and `dueBy`. */
  index: number;
  of: number;
}

export interface WaveResult {
  round: number;
  summary: SendSummary;
  /** When the next participants' local morning comes; absent when everyone due has been sent. */
  nextDueAt?: string;
}

function calendarRound(cohort: Cohort, round: number): CalendarRound & { total: number } {
  const { rounds } = cohortCalendar(cohort.program, cohort.schedule);
  const found = rounds.find((r) => r.number === round);
  if (!found) {
    throw invalidInput(`There is no round ${round}`, [
      {
        path: 'round',
        message: `must be from 1 to ${rounds.length}`,
        hint: 'see the calendar with `tandem preview`',
      },
    ]);
  }
  return { ...found, total: rounds.length };
}

/** Last round's action items, quoted back so the mentee can update on them. */
function previousActionItems(participant: Participant, round: number): string[] {
  const from = participant.lastActionItemsRound;
  return from !== undefined && from < round ? (participant.lastActionItems ?? []) : [];
}

async function waveOptions(cohort: Cohort, wave: Wave, deps: MailDeps): Promise<PairMessageOptions> {
  const dueBy = {
    ...(wave.dueBy ? { dueBy: new Date(wave.dueBy) } : {}),
    ...(wave.dueAfter ? { dueAfter: new Date(wave.dueAfter) } : {}),
  };
  const calendar = cohortCalendar(cohort.program, cohort.schedule);
  switch (wave.kind) {
    case 'introductions': {
      const day = wave.round === 0 ? calendar.introductions : calendarRound(cohort, wave.round).date;
      return { kind: 'match-announcement', round: wave.round, day, startingOnly: true, ...dueBy };
    }
    case 'check-in': {
      const round = calendarRound(cohort, wave.round);
      const roundContext = { number: round.number, total: round.total, isFirst: round.number === 1 };
      return {
        kind: round.kind,
        round: round.number,
        day: round.date,
        ...dueBy,
        context: (participant) => ({
          round: roundContext,
          previousActionItems: previousActionItems(participant, round.number),
        }),
      };
    }
    case 'nudge': {
      const round = calendarRound(cohort, wave.round);
      const answered = await deps.answers.answeredBy(cohort.id, round.number);
      return {
        kind: 'nudge',
        round: round.number,
        day: round.nudgeDate,
        ...dueBy,
        include: (participant) => !answered.has(participant.participantId),
        context: () => ({ round: { number: round.number, total: round.total, isFirst: round.number === 1 } }),
      };
    }
    case 'thank-you':
      return { kind: 'thank-you', round: calendar.rounds.length + 1, day: calendar.end, ...dueBy };
  }
}

type WaveMessages = Awaited<ReturnType<typeof readWaveMessages>>;

/**
 * The batches of one plan of a wave (same `dueBy`) need the same participants and pairs: a
 * warm container reads them once per plan, not once per batch, which keeps a large cohort's
 * wave linear in its size. Entries live a minute; a change meanwhile is still caught where it
 * matters, at send time (the ledger's claim checks that the participant may be mailed). They
 * belong to the store they were read from: other adapters (another local stack) read afresh.
 */
const recentWaves = new WeakMap<
  MailDeps['store'],
  Map<string, { expires: number; messages: Promise<WaveMessages> }>
>();
const recentWaveMs = 60_000;

function waveMessages(wave: Wave, deps: MailDeps): Promise<WaveMessages> {
  if (!wave.dueBy) return readWaveMessages(wave, deps);
  const recent = recentWaves.get(deps.store) ?? new Map();
  recentWaves.set(deps.store, recent);
  const now = performance.now();
  for (const [key, entry] of recent) if (entry.expires <= now) recent.delete(key);
  const key = JSON.stringify([wave.cohortId, wave.kind, wave.round, wave.dueBy, wave.dueAfter]);
  const cached = recent.get(key);
  if (cached) return cached.messages;
  const messages = readWaveMessages(wave, deps);
  recent.set(key, { expires: now + recentWaveMs, messages });
  // A failed read is not remembered: the retry reads again.
  messages.catch(() => recent.delete(key));
  return messages;
}

async function readWaveMessages(wave: Wave, deps: MailDeps) {
  const cohort = await loadCohort(deps.store, wave.cohortId);
  const [options, pairs, participants] = await Promise.all([
    waveOptions(cohort, wave, deps),
    deps.pairs.listPairs(wave.cohortId),
    deps.store.listParticipants(wave.cohortId),
  ]);
  const { messages, nextDueAt } = pairMessages(pairs, participants, options);
  // A stable order, so that every batch of the same wave sees the same slice.
  messages.sort((a, b) => a.participant.participantId.localeCompare(b.participant.participantId));
  return { cohort, round: options.round, messages, nextDueAt };
}

/** Sends a wave — all of it, or one batch of it — to the participants whose morning has come. */
export async function sendWave(wave: Wave, deps: MailDeps, batch?: WaveBatch): Promise<WaveResult> {
  const { cohort, round, messages, nextDueAt } = await waveMessages(wave, deps);
  const slice = batch ? sliceOf(messages, batch) : messages;
  const summary = await sendToParticipants(cohort, slice, deps);
  return { round, summary, ...(nextDueAt ? { nextDueAt: nextDueAt.toISOString() } : {}) };
}

/** How many messages of the wave are due now, in how many batches, and when the next are due. */
export async function planWave(
  wave: Wave,
  deps: MailDeps,
  batchSize: number,
): Promise<{ due: number; batches: number; nextDueAt?: string }> {
  const { messages, nextDueAt } = await waveMessages(wave, deps);
  const batches = Math.ceil(messages.length / batchSize);
  return { due: messages.length, batches, ...(nextDueAt ? { nextDueAt: nextDueAt.toISOString() } : {}) };
}

function sliceOf<T>(items: T[], { index, of }: WaveBatch): T[] {
  const size = Math.ceil(items.length / of);
  return items.slice(index * size, (index + 1) * size);
}

import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { en, Faker } from '@faker-js/faker';
import type { Context } from 'aws-lambda';
import { DateTime } from 'luxon';
import pMap from 'p-map';
import { type ApiClient, connect } from '../../cli/api-client.ts';
import { applicationsCsv } from '../../shared/applications/applications-csv.ts';
import { addressIn } from '../../shared/email/email-address.ts';
import { ledgerHeader, parseLedgerId } from '../../shared/email/outbound-email.ts';
import type { TandemError } from '../../shared/errors.ts';
import type { Program } from '../../shared/program/program-schema.ts';
import { cohortIdOf } from '../../shared/use-cases/launch-cohort.ts';
import { type LocalStack, startLocalStack } from '../local-stack.ts';
import { devAdminClient } from '../oidc/local-oidc-provider.ts';
import type { CapturedEmail } from '../ses-local.ts';
import { sesReceiptEvent } from '../ses-receipt-event.ts';
import { VirtualClock } from '../virtual-clock.ts';
import {
  closeoutSurvey,
  confirmation,
  menteeCheckIn,
  mentorCheckIn,
  midpointSurvey,
  outOfOffice,
  partnerAnswer,
} from './reply-content.ts';
import { type OriginalEmail, writeReply } from './reply-writer.ts';
import { type SyntheticPerson, syntheticCohort } from './synthetic-cohort.ts';

/**
 * `tandem simulate`: a whole cohort on the local stack, in virtual time. Synthetic people
 * apply (on the form, or in the organizer's CSV), confirm, and answer their emails the way
 * people do — on time, late, never, with an out-of-office first, in their own mail program
 * and language; one pauses, one leaves, one asks for another mentor. Every reply goes through
 * the real inbound pipeline; the organizer approves the match draft. The cohort workflow is
 * the synthesized state machine, run by the local interpreter.
 */
export interface SimulationOptions {
  program: Program;
  participants: number;
  seed: number;
  /** Virtual seconds per real second. */
  speed: number;
  onProgress?: (progress: SimulationProgress) => void;
  /** Give up after this much real time (the simulation is stuck). */
  timeoutMs?: number;
}

export interface SimulationProgress {
  phase: string;
  virtualDate: string;
  emailsSent: number;
  repliesSent: number;
}

export interface SimulationRun {
  cohortId: string;
  people: SyntheticPerson[];
  /** Phases in the order they completed, with the virtual time. */
  phases: { phase: string; at: string }[];
  emails: CapturedEmail[];
  /** Every message the simulated people sent, by kind. */
  repliesSent: Record<string, number>;
  stack: LocalStack;
  /** The organizer's client (an admin script). */
  api: ApiClient;
  virtualStart: string;
  virtualEnd: string;
  realSeconds: number;
}

type Action = { at: number; seq: number; run: () => Promise<void> };

const hour = 3_600_000;
const day = 24 * hour;

/**
 * Runs the cohort to its end and hands back the run, with the stack still up so the caller can
 * read what it needs (report, outbox); the caller stops it. The virtual clock stays installed
 * until `finish()` is called.
 */
export async function runSimulation(
  options: SimulationOptions,
): Promise<SimulationRun & { finish(): Promise<void> }> {
  const { program, seed } = options;
  // Real time: performance.now() is not affected by the virtual clock.
  const started = performance.now();
  const clock = new VirtualClock({
    start: DateTime.fromISO(program.intake.opens, { zone: program.timezone }).set({ hour: 7 }).toJSDate(),
    speed: options.speed,
  });
  const uninstall = clock.install();
  const virtualStart = new Date().toISOString();
  const cohortId = cohortIdOf(program);
  const phases: { phase: string; at: string }[] = [];
  const completed = (phase: string) => {
    if (!phases.some((p) => p.phase === phase)) phases.push({ phase, at: new Date().toISOString() });
  };
  // The people act while the workflow waits: the runner calls the world between its events.
  const agenda = new Agenda();
  let react: (email: CapturedEmail) => void = () => {};
  const emails: CapturedEmail[] = [];
  let inboxPosition = 0;
  let lastProgress = 0;
  let deliveries = 0;
  const progress = () => {
    if (!options.onProgress || performance.now() - lastProgress < 250) return;
    lastProgress = performance.now();
    options.onProgress({
      phase: phases.at(-1)?.phase ?? 'intake',
      virtualDate: new Date().toISOString().slice(0, 10),
      emailsSent: emails.length,
      repliesSent: deliveries,
    });
  };
  /** New email in the local inbox: each simulated recipient decides what to do about it. */
  const readInbox = async () => {
    const fresh = await stack.capturedSince(inboxPosition);
    inboxPosition += fresh.length;
    for (const email of fresh) {
      emails.push(email);
      react(email);
    }
  };
  const world = {
    nextEventAt: () => agenda.next(),
    runUntil: async (time: number) => {
      await readInbox();
      while (agenda.hasDue(time)) {
        await agenda.runDue(time);
        await readInbox();
      }
      progress();
    },
  };

  // The run ends when the cohort has closed and its report has gone to the organizers: the
  // months of its retention period, and the purge after them, are not simulated.
  let closed = () => {};
  const cohortClosed = new Promise<void>((resolve) => {
    closed = resolve;
  });
  let stack: LocalStack;
  try {
    stack = await startLocalStack({
      clock,
      world,
      sendRate: 1000,
      onStateEntered: (execution, state) => {
        trackPhase(execution, state, completed);
        if (state !== retentionWait) return;
        stack.workflow
          .executions()
          .find((e) => e.name === execution)
          ?.abort();
        closed();
      },
    });
  } catch (error) {
    uninstall();
    throw error;
  }
  const finish = async () => {
    try {
      await stack.stop();
    } finally {
      uninstall();
    }
  };
  try {
    // The organizer is a script signed in with client credentials; applicants sign in to nothing.
    const api = await connect({ apiUrl: stack.apiUrl, credentials: devAdminClient() });
    const publicApi = await connect({ apiUrl: stack.apiUrl, credentials: 'none' });
    const faker = new Faker({ locale: [en] });
    faker.seed(seed);
    const people = syntheticCohort(options.participants, seed, 'example.net');
    const byEmail = new Map(people.map((p) => [p.email, p]));
    const repliesSent: Record<string, number> = {};
    const inbound = await inboundHandler();

    const reply = async (
      person: Pick<SyntheticPerson, 'name' | 'email'> & { client?: SyntheticPerson['client'] },
      email: CapturedEmail,
      body: string,
      kind: string,
      autoReply = false,
    ) => {
      const to = email.replyTo[0];
      if (!to) return;
      const raw = await writeReply({
        from: { name: person.name, email: person.email },
        to,
        original: originalOf(email),
        body,
        client: person.client ?? 'gmail',
        date: new Date(),
        autoReply,
      });
      const sesMessageId = `simulated-${String(++deliveries).padStart(7, '0')}`;
      await writeFile(join(stack.inboundMailDir, sesMessageId), raw);
      await inbound(sesReceiptEvent(sesMessageId, to, person.email), {} as Context);
      repliesSent[kind] = (repliesSent[kind] ?? 0) + 1;
    };

    // Applications over the intake window: two thirds on the form, a third in the organizer's CSV.
    const opens = DateTime.fromISO(program.intake.opens, { zone: program.timezone });
    const closes = DateTime.fromISO(program.intake.closes, { zone: program.timezone }).endOf('day');
    const span = closes.diff(opens).toMillis();
    const imported = people.filter((_, i) => i % 3 === 2);
    agenda.add(opens.plus({ milliseconds: span / 2 }).toMillis(), () =>
      api
        .request('POST', `/cohorts/${cohortId}/imports`, {
          text: applicationsCsv(imported),
          type: 'text/csv',
        })
        .then(() => {}),
    );
    for (const person of people.filter((_, i) => i % 3 !== 2)) {
      agenda.add(
        opens.plus({ milliseconds: faker.number.int({ min: hour, max: span - day }) }).toMillis(),
        () =>
          publicApi
            .request('POST', `/cohorts/${cohortId}/applications`, { json: applicationOf(person) })
            .then(
              () => {},
              // Someone applying in the last minutes may find intake closed (409), as in life.
              (error: TandemError) => {
                if (error.code !== 'conflict') throw error;
              },
            ),
      );
    }

    // Who is paired with whom, as the table says (what the people learn from their introductions
    // and from the ladder's emails), read again at most once a virtual day.
    const { handlerDeps } = await import('../../functions/adapters.ts');
    let pairsRead: { at: number; partners: Promise<Map<string, string[]>> } | undefined;
    const partnersOf = async (email: string) => {
      const now = Date.now();
      if (!pairsRead || now - pairsRead.at > day) {
        const partners = handlerDeps()
          .pairs.listPairs(cohortId)
          .then((pairs) => {
            const map = new Map<string, string[]>();
            for (const pair of pairs.filter((p) => p.status === 'active')) {
              map.set(pair.menteeEmail, [...(map.get(pair.menteeEmail) ?? []), pair.mentorEmail]);
              map.set(pair.mentorEmail, [...(map.get(pair.mentorEmail) ?? []), pair.menteeEmail]);
            }
            return map;
          });
        pairsRead = { at: now, partners };
      }
      return (await pairsRead.partners).get(email) ?? [];
    };
    /** Whether the person still takes part in round `round`: ghosts never, faders and the busy mentor only at first. */
    const engaged = (person: SyntheticPerson, round: number) =>
      person.behaviour !== 'silent' &&
      !paused.has(person.email) &&
      (person.answersUntil === undefined || round <= person.answersUntil);
    /** A pair meets when both sides take part, most of the time (the same draw for both). */
    const meets = (a: SyntheticPerson, b: SyntheticPerson, round: number) =>
      engaged(a, round) &&
      engaged(b, round) &&
      chance([a.email, b.email].sort().join('|'), round, seed) < 0.85;
    const metWithSomeone = async (person: SyntheticPerson, round: number) => {
      for (const email of await partnersOf(person.email)) {
        const partner = byEmail.get(email);
        if (partner && meets(person, partner, round)) return true;
      }
      return false;
    };
    const paused = new Set<string>();

    // How each person reacts to each email, by kind.
    const answered = new Set<string>();
    /** Pairs the organizer nudged already (by their digest line's title). */
    const nudged = new Set<string>();
    const checkInAnswer = async (person: SyntheticPerson, kind: string, round: number) => {
      const met = await metWithSomeone(person, round);
      if (kind === 'midpoint-survey') {
        const decision = person.behaviour === 'finishes' ? 'end' : met ? 'continue' : 'change-focus';
        const usefulness = met ? faker.number.int({ min: 3, max: 5 }) : faker.number.int({ min: 1, max: 2 });
        return midpointSurvey(person, faker, { met, usefulness, decision });
      }
      if (kind === 'closeout-survey') {
        // Those whose mentorship worked recommend the program; the others less so.
        const nps = met ? faker.number.int({ min: 7, max: 10 }) : faker.number.int({ min: 2, max: 8 });
        return closeoutSurvey(person, faker, { usefulness: met ? 4 : 2, nps });
      }
      return person.role === 'mentee' ? menteeCheckIn(person, faker, met) : mentorCheckIn(person, met);
    };
    react = (email: CapturedEmail) => {
      const key = parseLedgerId(email.headers?.find((h) => h.name === ledgerHeader)?.value ?? '');
      const address = addressIn(email.destination.to[0] ?? '');
      if (!key) return;
      const at = email.at * 1000;
      const later = (min: number, max: number) => at + faker.number.int({ min, max });
      if (key.kind === 'approval-request' && key.round === 0) {
        // The organizer looks at the draft the next day, and approves it.
        agenda.add(at + day, () =>
          api.request('POST', `/cohorts/${cohortId}/drafts/latest/approval`).then(() => {}),
        );
        return;
      }
      if (key.kind === 'organizer-digest') {
        // The first organizer reads the digest and answers it with commands, the same day.
        const organizer = program.organizers[0];
        const commands = organizerCommands(email.body.text ?? '', nudged);
        if (organizer && address === organizer.email && commands.length)
          agenda.add(later(2 * hour, 8 * hour), () =>
            reply(organizer, email, commands.join('\n'), 'organizer commands'),
          );
        return;
      }
      const person = byEmail.get(address);
      if (!person) return;
      const roundKey = `${person.email}#${key.round}`;
      switch (key.kind) {
        case 'application-received':
          if (person.behaviour === 'never-confirms') return;
          if (faker.datatype.boolean({ probability: 0.7 })) {
            const link = (email.body.text ?? '')
              .split(/\s+/)
              .find((word) => /^https?:\/\//.test(word) && word.includes('/confirm/'));
            if (link)
              agenda.add(later(10 * 60_000, 6 * hour), () =>
                publicApi.request('POST', new URL(link).pathname).then(() => {}),
              );
          } else {
            agenda.add(later(10 * 60_000, 6 * hour), () =>
              reply(person, email, confirmation(person), 'confirmation'),
            );
          }
          return;
        case 'check-in':
        case 'midpoint-survey':
        case 'closeout-survey': {
          if (person.behaviour === 'auto-reply' && !answered.has(`${person.email}#auto`)) {
            answered.add(`${person.email}#auto`);
            agenda.add(later(60_000, 10 * 60_000), () =>
              reply(person, email, outOfOffice(person, faker), 'auto-reply', true),
            );
          }
          const special =
            (person.behaviour === 'pause' && key.round === 3 && 'pause') ||
            (person.behaviour === 'exit' && key.round === 4 && 'exit') ||
            (person.behaviour === 'rematch' && key.kind === 'midpoint-survey' && 'rematch');
          if (special) {
            if (special === 'pause') paused.add(person.email);
            agenda.add(later(2 * hour, 20 * hour), () => reply(person, email, special, special));
            return;
          }
          if (!engaged(person, key.round) || person.behaviour === 'late') return;
          answered.add(roundKey);
          agenda.add(later(2 * hour, 30 * hour), async () =>
            reply(person, email, await checkInAnswer(person, key.kind, key.round), 'check-in answer'),
          );
          return;
        }
        case 'nudge':
          if (person.behaviour !== 'late' || answered.has(roundKey) || !engaged(person, key.round)) return;
          answered.add(roundKey);
          agenda.add(later(2 * hour, 24 * hour), async () =>
            reply(person, email, await checkInAnswer(person, 'check-in', key.round), 'late answer'),
          );
          return;
        case 'partner-check': {
          // The side that answers says how it is going: the ladder's question counts for the next round.
          if (!engaged(person, key.round)) return;
          agenda.add(later(3 * hour, 30 * hour), async () =>
            reply(
              person,
              email,
              partnerAnswer(person, await metWithSomeone(person, key.round + 1)),
              'partner answer',
            ),
          );
          return;
        }
        case 'pause-confirmation':
          agenda.add(later(18 * day, 24 * day), async () => {
            paused.delete(person.email);
            await reply(person, email, 'resume', 'resume');
          });
          return;
        default:
          return;
      }
    };

    // Launch: the cohort's workflow starts and drives everything from here.
    await api.request('POST', '/cohorts', { json: program });
    const execution = await firstExecution(stack);
    const timeoutMs = options.timeoutMs ?? 30 * 60_000;
    let timer: NodeJS.Timeout | undefined;
    const stuck = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error('The simulation did not finish in time: the cohort workflow seems stuck.')),
        timeoutMs,
      );
    });
    try {
      await Promise.race([cohortClosed, execution.result, stuck]);
      await execution.result.catch(() => {});
      if (execution.status === 'FAILED') throw new Error(execution.error);
    } catch (error) {
      throw execution.status === 'FAILED'
        ? new Error(`The cohort workflow failed: ${execution.error ?? (error as Error).message}`)
        : error;
    } finally {
      clearTimeout(timer);
    }
    await readInbox();
    return {
      cohortId,
      people,
      phases,
      emails,
      repliesSent,
      stack,
      api,
      virtualStart,
      virtualEnd: new Date().toISOString(),
      realSeconds: (performance.now() - started) / 1000,
      finish,
    };
  } catch (error) {
    // What went wrong is the news, not a hiccup while cleaning up after it.
    await finish().catch(() => {});
    throw error;
  }
}

/** The state after the organizers' report: the wait for the end of the retention period. */
const retentionWait = 'PlanPurge';

/** Records which phase of the cohort a state's start completes. */
function trackPhase(execution: string, state: string, completed: (phase: string) => void): void {
  const round = /-r(\d+)$/.exec(execution)?.[1];
  if (round) {
    if (state === 'CloseRound') completed(`round ${round}`);
    return;
  }
  const phases: Record<string, string> = {
    CloseIntake: 'intake',
    'Approved?': 'matching',
    StartPairs: 'approval',
    PlanNextStep: 'introductions',
    PlanThankYou: 'rounds',
    CloseCohort: 'close-out',
    ReportCohort: 'closed',
  };
  const phase = phases[state];
  if (phase) completed(phase);
}

async function firstExecution(stack: LocalStack) {
  for (let i = 0; i < 500; i++) {
    const execution = stack.workflow.executions()[0];
    if (execution) return execution;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('The cohort workflow did not start after the launch.');
}

async function inboundHandler() {
  const url = pathToFileURL(
    join(import.meta.dirname, '..', '..', 'functions', 'events', 'inbound-email.ts'),
  ).href;
  return ((await import(url)) as { handler: (event: unknown, context: Context) => Promise<void> }).handler;
}

function applicationOf(person: SyntheticPerson) {
  const { behaviour: _b, client: _c, writes: _w, answersUntil: _u, ...application } = person;
  return { ...application, consent: true };
}

/**
 * What the organizer replies to a digest, one command a line: close the pairs that asked to end
 * at the mid-point review, a personal nudge to each pair at risk the first time it shows up,
 * `approve` when rematches wait for approval.
 */
function organizerCommands(digest: string, nudged: Set<string>): string[] {
  const commands: string[] = [];
  let group = '';
  for (const line of digest.split('\n')) {
    const heading = /^\*\*(.+)\*\*/.exec(line.trim());
    if (heading) group = heading[1] ?? '';
    const item = /^(\d+)\. \*\*([^*]+)\*\*/.exec(line.trim());
    if (!item) continue;
    const [, number, title = ''] = item;
    if (group.startsWith('Asked to end')) commands.push(`close ${number}`);
    else if (group.startsWith('Pairs at risk') && !nudged.has(title)) {
      nudged.add(title);
      commands.push(`nudge ${number}`);
    }
  }
  if (digest.includes('Rematches waiting for your approval')) commands.push('approve');
  return commands;
}

/** A number in [0, 1) that depends only on its inputs: the same pair and round always draw the same. */
function chance(key: string, round: number, seed: number): number {
  return createHash('sha256').update(`${seed}|${round}|${key}`).digest().readUInt32BE(0) / 2 ** 32;
}

function originalOf(email: CapturedEmail): OriginalEmail {
  return {
    subject: email.subject,
    text: email.body.text ?? '',
    from: email.from,
    date: new Date(email.at * 1000),
  };
}

/**
 * Things the simulated people will do, at virtual times, in time order. People act
 * independently, so what they do within the same virtual hour runs together, dozens at a
 * time: a big cohort's thousands of replies take a few hundred steps, not thousands, and
 * enough requests are in flight to keep both cores busy while each one waits for its engine.
 */
class Agenda {
  static readonly step = 60 * 60_000;
  static readonly concurrency = 64;
  /** Sorted by time, then by the order they were added. */
  #actions: Action[] = [];
  #seq = 0;

  add(at: number, run: () => Promise<void>): void {
    const action = { at, seq: this.#seq++, run };
    // Binary search for the insertion point: after every action at or before `at`.
    let low = 0;
    let high = this.#actions.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.#actions[middle]?.at ?? 0) <= at) low = middle + 1;
      else high = middle;
    }
    this.#actions.splice(low, 0, action);
  }

  /** The end of the hour in which the next action falls. */
  next(): number | undefined {
    const first = this.#actions[0];
    return first && Math.ceil(first.at / Agenda.step) * Agenda.step;
  }

  hasDue(time: number): boolean {
    return (this.#actions[0]?.at ?? Number.POSITIVE_INFINITY) <= time;
  }

  async runDue(time: number): Promise<void> {
    let count = 0;
    while (count < this.#actions.length && (this.#actions[count]?.at ?? 0) <= time) count++;
    const due = this.#actions.splice(0, count);
    await pMap(due, (action) => action.run(), { concurrency: Agenda.concurrency });
  }
}

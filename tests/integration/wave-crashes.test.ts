import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendEventOf, sesEventRecord } from '../../local/ses-event-feed.ts';
import { ledgerHeader, ledgerId, parseLedgerId } from '../../shared/email/outbound-email.ts';
import type { EmailLedger, Mailer } from '../../shared/ports.ts';
import type { MailDeps } from '../../shared/use-cases/send-emails.ts';
import { sendWave } from '../../shared/use-cases/waves.ts';
import { MessagesInFlightError, sendWaveBatch } from '../../shared/workflow/wave-steps.ts';
import { seedCohort } from '../support/cohort-fixture.ts';
import { setHandlerEnvironment } from '../support/handler-environment.ts';
import { createTestTable, fixedClock } from '../support/local-table.ts';
import { type CapturedEmail, capturedEmails, header, mailDeps } from '../support/mail-deps.ts';

/**
 * Exactly once, proven by crashing a wave where it hurts: the function dies after SES took
 * some messages and before they are marked, between groups, or halfway through the marks.
 * SES's own `Send` events reach the `ses-events` function as they would on AWS, the workflow
 * runs the wave again (within the lease, then after it), and every participant has each
 * message once.
 */
const pairsPerCohort = 55; // 110 participants: groups of 50, 50 and 10
const leaseMs = 15 * 60_000;

class Crash extends Error {
  constructor() {
    super('the function crashed');
    this.name = 'Crash';
  }
}

/**
 * One invocation of the function: it dies at `point` (the Nth call there), and once dead it
 * does nothing more — every later call of its mailer or ledger fails, as in a killed process.
 */
function invocation(deps: MailDeps, point: 'send' | 'claimAll' | 'markAllSent', nth: number): MailDeps {
  let dead = false;
  let calls = 0;
  const die = (): never => {
    dead = true;
    throw new Crash();
  };
  const alive = () => {
    if (dead) throw new Crash();
  };
  const mailer: Mailer = {
    send: async (email) => {
      alive();
      const sent = await deps.mailer.send(email);
      if (point === 'send' && ++calls === nth) die();
      return sent;
    },
  };
  const ledger = new Proxy(deps.ledger, {
    get(target, name: keyof EmailLedger) {
      const original = target[name] as (...args: unknown[]) => Promise<unknown>;
      return async (...args: unknown[]) => {
        alive();
        if (name === point && ++calls === nth) {
          // Halfway through the marks: the first half is written, then the process dies.
          if (name === 'markAllSent') {
            const [sent, now] = args as [unknown[], Date];
            await original.call(target, sent.slice(0, Math.floor(sent.length / 2)), now);
          }
          die();
        }
        return original.apply(target, args);
      };
    },
  });
  return { ...deps, mailer, ledger };
}

describe('a wave crashing at every point, then restarted: each message once', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let deps: ReturnType<typeof mailDeps>;
  const clock = fixedClock('2027-02-15T08:00:00Z');
  let sesEvents: (records: SQSRecord[]) => Promise<{ batchItemFailures: unknown[] }>;

  beforeAll(async () => {
    table = await createTestTable();
    deps = mailDeps(table, clock);
    setHandlerEnvironment(table);
    const { handler } = await import('../../functions/events/ses-events.ts');
    sesEvents = (records) => handler({ Records: records }, { awsRequestId: 'test' } as never);
  });
  afterAll(() => table.drop());

  const cohort = async (id: string) => {
    const domain = `${id}.example`;
    const mentees = Array.from({ length: pairsPerCohort }, (_, i) => `mentee${i}@${domain}`);
    const mentors = Array.from({ length: pairsPerCohort }, (_, i) => `mentor${i}@${domain}`);
    await seedCohort(deps, {
      id,
      people: [
        ...mentees.map((email, i) => ({ name: `Mentee ${i}`, email, role: 'mentee' as const })),
        ...mentors.map((email, i) => ({ name: `Mentor ${i}`, email, role: 'mentor' as const })),
      ],
      pairs: mentees.map((mentee, i) => [mentee, mentors[i] as string]),
    });
    await deps.store.updateCohort(id, { phase: 'running' });
    const everyone = [...mentees, ...mentors];
    const mail = () => capturedEmails(everyone);
    return { id, everyone, mail };
  };

  /** SES's Send events for what it accepted, through the `ses-events` function. */
  const reportSends = async (emails: CapturedEmail[]) => {
    const records = emails.flatMap(sendEventOf).map(sesEventRecord);
    expect((await sesEvents(records)).batchItemFailures).toEqual([]);
  };

  /** Every participant has the round's check-in exactly once. */
  const expectOnceEach = async (c: Awaited<ReturnType<typeof cohort>>) => {
    const emails = (await c.mail()).filter(
      (email) => parseLedgerId(header(email, ledgerHeader) ?? '')?.cohortId === c.id,
    );
    const copies = new Map<string, number>();
    for (const email of emails) {
      const key = header(email, ledgerHeader) ?? '';
      copies.set(key, (copies.get(key) ?? 0) + 1);
    }
    expect(copies.size).toBe(c.everyone.length);
    expect([...copies.values()].every((n) => n === 1)).toBe(true);
  };

  const wave = (id: string) => ({ cohortId: id, kind: 'check-in' as const, round: 1 });

  it.each([
    ['after SES took 30 messages and before any is marked', 'send' as const, 30],
    ['after SES took 75 messages: the first group marked, the second not', 'send' as const, 75],
    ['between groups: the third group is never claimed', 'claimAll' as const, 3],
    ['halfway through the second group’s marks', 'markAllSent' as const, 2],
  ])('crashes %s', async (_, point, nth) => {
    clock.set('2027-02-15T08:00:00Z');
    const c = await cohort(`crash-${point.toLowerCase()}-${nth}`);
    const before = (await c.mail()).length;
    await expect(sendWave(wave(c.id), invocation(deps, point, nth))).rejects.toThrow(Crash);
    const accepted = (await c.mail()).slice(before);
    expect(accepted.length).toBeGreaterThan(0);

    // The workflow retries at once: what SES has not reported yet is in flight, never sent twice.
    clock.set('2027-02-15T08:01:00Z');
    await sendWaveBatch({ ...wave(c.id), dueBy: clock.now().toISOString(), index: 0, of: 1 }, deps).catch(
      (error: unknown) => expect(error).toBeInstanceOf(MessagesInFlightError),
    );
    // SES's Send events arrive (seconds later on AWS), then the retry after the lease.
    await reportSends(await c.mail());
    clock.set(new Date(Date.parse('2027-02-15T08:01:00Z') + leaseMs + 60_000).toISOString());
    const { summary } = await sendWave(wave(c.id), deps);
    expect(summary['in-flight']).toBe(0);
    await expectOnceEach(c);
    // And once more, as a later plan of the wave would: nothing.
    expect((await sendWave(wave(c.id), deps)).summary.sent).toBe(0);
    await expectOnceEach(c);
  });

  it('settles a message whose Send event arrives after its lease, if no retry sent it meanwhile', async () => {
    clock.set('2027-02-15T08:00:00Z');
    const c = await cohort('late-event');
    await expect(sendWave(wave(c.id), invocation(deps, 'send', 10))).rejects.toThrow(Crash);
    const accepted = await c.mail();
    // The lease runs out with no word from SES; then its events arrive, late, before any retry.
    clock.set(new Date(Date.parse('2027-02-15T08:00:00Z') + leaseMs + 5 * 60_000).toISOString());
    await reportSends(accepted);
    await sendWave(wave(c.id), deps);
    await expectOnceEach(c);
    const key = parseLedgerId(header(accepted[0] as CapturedEmail, ledgerHeader) ?? '');
    if (!key) throw new Error('no ledger key');
    expect(await deps.ledger.get(key)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('keeps the ledger right when a Send event comes after a retry already took the claim over', async () => {
    clock.set('2027-02-15T08:00:00Z');
    const c = await cohort('very-late-event');
    await expect(sendWave(wave(c.id), invocation(deps, 'send', 1))).rejects.toThrow(Crash);
    const [first] = await c.mail();
    if (!first) throw new Error('SES took nothing');
    // No event within the lease: the lease is the proof the ledger relies on, and a retry sends.
    clock.set(new Date(Date.parse('2027-02-15T08:00:00Z') + leaseMs + 60_000).toISOString());
    await sendWave(wave(c.id), deps);
    // The event of the first copy arrives after all: it neither fails nor changes what was sent.
    await reportSends([first]);
    const key = parseLedgerId(header(first, ledgerHeader) ?? '');
    if (!key) throw new Error('no ledger key');
    const entry = await deps.ledger.get(key);
    expect(entry).toMatchObject({ status: 'sent', attempts: 2 });
    expect(await deps.ledger.settled([key])).toEqual(new Set([ledgerId(key)]));
    expect((await sendWave(wave(c.id), deps)).summary.sent).toBe(0);
  });
});

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoDbCohortStore } from '../../shared/adapters/dynamodb/dynamodb-cohort-store.ts';
import type { Cohort } from '../../shared/cohorts/cohort.ts';
import { recordDeliveryEvents } from '../../shared/use-cases/record-delivery-events.ts';
import { buildDigest } from '../../shared/use-cases/send-digest.ts';
import { planWave, sendWave } from '../../shared/use-cases/waves.ts';
import { seedCohort } from '../support/cohort-fixture.ts';
import { createTestTable, fixedClock } from '../support/local-table.ts';
import { capturedEmails, header, mailDeps } from '../support/mail-deps.ts';

const domain = 'round.example';
const people = [
  { name: 'Tom Hughes', email: `tom@${domain}`, role: 'mentee', timezone: 'Europe/London' },
  { name: 'Amara Okafor', email: `amara@${domain}`, role: 'mentor', timezone: 'Europe/London' },
  { name: 'Kenji Sato', email: `kenji@${domain}`, role: 'mentee', timezone: 'Asia/Tokyo' },
  { name: 'Lukas Becker', email: `lukas@${domain}`, role: 'mentor', timezone: 'America/New_York' },
] as const;
const everyone = people.map((p) => p.email);

describe('a check-in round on the local stack (DynamoDB Local + aws-ses-v2-local)', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let deps: ReturnType<typeof mailDeps>;
  let cohort: Cohort;
  const clock = fixedClock('2027-02-15T12:00:00Z');

  beforeAll(async () => {
    table = await createTestTable();
    deps = mailDeps(table, clock);
    cohort = await seedCohort(deps, {
      id: 'round-test',
      people: [...people],
      pairs: [
        [`tom@${domain}`, `amara@${domain}`],
        [`kenji@${domain}`, `lukas@${domain}`],
      ],
    });
  });
  afterAll(() => table.drop());

  it('introduces both sides of every pair, each in the pair’s thread', async () => {
    const result = await sendWave({ cohortId: cohort.id, kind: 'introductions', round: 0 }, deps);
    expect(result.summary.sent).toBe(4);
    const emails = await capturedEmails(everyone);
    const toTom = emails.find((e) => e.destination.to[0]?.includes(`tom@${domain}`));
    expect(toTom?.subject).toBe('Meet your mentor: Amara Okafor');
    expect(toTom?.body.text).toContain(`amara@${domain}`);
    expect(toTom?.body.text).toContain(
      'Why you two: both: data engineering, career change · mentor 6 years ahead.',
    );
    const toAmara = emails.find((e) => e.destination.to[0]?.includes(`amara@${domain}`));
    if (!toTom || !toAmara) throw new Error('missing introduction');
    expect(header(toAmara, 'References')).toBe(header(toTom, 'References'));
  });

  it('sends round 1 once per participant with reply address, unsubscribe headers and the right questions', async () => {
    const before = (await capturedEmails(everyone)).length;
    const result = await sendWave({ cohortId: cohort.id, kind: 'check-in', round: 1 }, deps);
    expect(result.summary).toMatchObject({ sent: 4, 'already-sent': 0 });
    const round = (await capturedEmails(everyone)).slice(before);
    expect(round.map((e) => e.destination.to[0]).sort()).toEqual(
      [...everyone].sort().map((email) => expect.stringContaining(email)),
    );
    const toTom = round.find((e) => e.destination.to[0]?.includes(`tom@${domain}`));
    const toAmara = round.find((e) => e.destination.to[0]?.includes(`amara@${domain}`));
    if (!toTom || !toAmara) throw new Error('missing check-in');
    expect(toTom.subject).toMatch(/^Check-in 1 of \d+: how are things with Amara\?$/);
    expect(toTom.replyTo).toEqual([expect.stringMatching(/^reply\+[a-z2-7]{16}@reply\.test\.localhost$/)]);
    expect(toTom.body.text).toContain('Just reply to this email — a line per question is enough.');
    expect(toTom.body.text).toContain('Which action items did you commit to?');
    expect(toTom.body.text).toContain('**pause**');
    expect(toTom.body.html).toContain('<ol>');
    expect(toAmara.body.text).not.toContain('Which action items');
    expect(header(toTom, 'List-Unsubscribe')).toMatch(
      /^<https:\/\/tandem\.test\/unsubscribe\/[a-z2-7]{22}>, <mailto:unsubscribe\+[a-z2-7]{22}@reply\.test\.localhost\?subject=unsubscribe>$/,
    );
    expect(header(toTom, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(header(toTom, 'Auto-Submitted')).toBe('auto-generated');
    expect(header(toTom, 'X-Auto-Response-Suppress')).toBe('All');
    expect(header(toTom, 'References')).toMatch(/^<pair-[\w-]{16}\.round-test@example\.org>$/);
    expect(header(toTom, 'X-Tandem-Message')).toMatch(/^round-test\/[a-z2-7]{12}\/check-in\/1$/);
  });

  it('re-running the round sends nothing new', async () => {
    const before = (await capturedEmails(everyone)).length;
    const again = await sendWave({ cohortId: cohort.id, kind: 'check-in', round: 1 }, deps);
    expect(again.summary).toMatchObject({ sent: 0, 'already-sent': 4 });
    expect((await capturedEmails(everyone)).length).toBe(before);
  });

  it('quotes last round’s action items back to the mentee in the next check-in', async () => {
    const tom = await deps.store.getParticipant(cohort.id, `tom@${domain}`);
    await deps.answers.recordReply({
      cohortId: cohort.id,
      round: 1,
      participantId: tom?.participantId ?? '',
      email: `tom@${domain}`,
      content: {
        met: true,
        topics: ['SQL'],
        actionItems: ['Finish the dbt course'],
        rating: 4,
        intent: 'continue',
        note: '',
      },
      messageId: '<m1@mail.example>',
      receivedAt: '2027-02-16T10:00:00Z',
      text: 'yes\nSQL\nFinish the dbt course\n4',
    });
    const before = (await capturedEmails(everyone)).length;
    await sendWave({ cohortId: cohort.id, kind: 'check-in', round: 2 }, deps);
    const toTom = (await capturedEmails(everyone))
      .slice(before)
      .find((e) => e.destination.to[0]?.includes('tom@'));
    expect(toTom?.body.text).toContain('Last time you committed to:\n- Finish the dbt course');
  });

  it('nudges only those who have not answered', async () => {
    const before = (await capturedEmails(everyone)).length;
    const result = await sendWave({ cohortId: cohort.id, kind: 'nudge', round: 1 }, deps);
    expect(result.summary.sent).toBe(3);
    const nudged = (await capturedEmails(everyone)).slice(before).map((e) => e.destination.to[0]);
    expect(nudged.some((to) => to?.includes('tom@'))).toBe(false);
  });

  it('sends each participant their email in their own morning', async () => {
    // 07:00 UTC on the day of round 3: morning in Tokyo and London, night in New York.
    const calendarDay = '2027-03-15';
    clock.set(`${calendarDay}T07:00:00Z`);
    const early = await sendWave(
      { cohortId: cohort.id, kind: 'check-in', round: 3, dueBy: clock.now().toISOString() },
      deps,
    );
    expect(early.summary.sent).toBe(1);
    expect(early.nextDueAt).toBe(`${calendarDay}T09:00:00.000Z`);
    const later = await sendWave(
      { cohortId: cohort.id, kind: 'check-in', round: 3, dueBy: `${calendarDay}T14:00:00.000Z` },
      deps,
    );
    expect(later.summary.sent).toBe(3);
    expect(later.nextDueAt).toBeUndefined();
  });

  it('reads the participants and pairs once for the plan of a wave and all its batches', async () => {
    const participantReads = vi.spyOn(deps.store, 'listParticipants');
    const pairReads = vi.spyOn(deps.pairs, 'listPairs');
    const wave = {
      cohortId: cohort.id,
      kind: 'check-in',
      round: 6,
      dueBy: '2027-04-26T23:00:00.000Z',
    } as const;
    const plan = await planWave(wave, deps, 1);
    expect(plan).toMatchObject({ due: 4, batches: 4 });
    const sent = [];
    for (let index = 0; index < plan.batches; index++) {
      sent.push((await sendWave(wave, deps, { index, of: plan.batches })).summary.sent);
    }
    expect(sent).toEqual([1, 1, 1, 1]);
    expect(participantReads).toHaveBeenCalledTimes(1);
    expect(pairReads).toHaveBeenCalledTimes(1);
    // The next plan (a later morning) reads afresh.
    await planWave({ ...wave, dueAfter: wave.dueBy, dueBy: '2027-04-27T23:00:00.000Z' }, deps, 1);
    expect(participantReads).toHaveBeenCalledTimes(2);
    // Other adapters (a new local stack, say) read their own store, never this plan's memo.
    const otherStore = new DynamoDbCohortStore(table.db, table.tableName);
    const otherReads = vi.spyOn(otherStore, 'listParticipants');
    await planWave(wave, { ...deps, store: otherStore }, 1);
    expect(otherReads).toHaveBeenCalledTimes(1);
    vi.restoreAllMocks();
  });

  it('stops mailing a permanently bounced address and tells the organizer', async () => {
    const failed = await recordDeliveryEvents(
      [{ type: 'bounce', bounceType: 'Permanent', recipients: [`kenji@${domain}`] }],
      deps,
    );
    expect(failed).toEqual([]);
    const result = await sendWave({ cohortId: cohort.id, kind: 'check-in', round: 4 }, deps);
    expect(result.summary.sent).toBe(3);
    const notices = await deps.notices.list(cohort.id);
    expect(notices.filter((n) => n.kind === 'bounce')).toEqual([
      expect.objectContaining({ message: expect.stringContaining(`kenji@${domain} bounces permanently`) }),
    ]);
    const digest = await buildDigest(cohort.id, 4, deps);
    expect(digest.notices.some((n) => n.includes('bounces permanently'))).toBe(true);
  });

  it('unsubscribes from the cohort on a complaint', async () => {
    const amara = await deps.store.getParticipant(cohort.id, `amara@${domain}`);
    await recordDeliveryEvents(
      [
        {
          type: 'complaint',
          ledger: {
            cohortId: cohort.id,
            recipientId: amara?.participantId ?? '',
            kind: 'check-in',
            round: 4,
          },
          recipients: [`amara@${domain}`],
        },
      ],
      deps,
    );
    expect((await deps.store.getParticipant(cohort.id, `amara@${domain}`))?.unsubscribedAt).toBeDefined();
    const result = await sendWave({ cohortId: cohort.id, kind: 'check-in', round: 5 }, deps);
    expect(result.summary.sent).toBe(2);
  });
});

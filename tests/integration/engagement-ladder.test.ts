import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReply } from '../../local/simulation/reply-writer.ts';
import { ladderRungs, type Pair } from '../../shared/cohorts/pair.ts';
import type { RematchRequest } from '../../shared/cohorts/rematch.ts';
import { cohortCalendar } from '../../shared/program/calendar.ts';
import { climbLadder } from '../../shared/use-cases/engagement-ladder.ts';
import { receiveReply } from '../../shared/use-cases/receive-reply.ts';
import { approveCohort } from '../../shared/workflow/matching-steps.ts';
import { restartWorkflow } from '../../shared/workflow/schedule-commands.ts';
import type { SeedPerson } from '../support/cohort-fixture.ts';
import { type CapturedEmail, capturedEmails } from '../support/mail-deps.ts';
import { authenticated } from '../support/verdicts.ts';
import { kindOf, roundOf, startWorkflowHarness } from '../support/workflow-harness.ts';

/**
 * The engagement ladder, rung by rung, in the synthesized round state machine on the local
 * runner: people answer (or not) through the real inbound pipeline, in virtual time. Four
 * check-ins, and a ladder short enough to be climbed in them: the partner is asked after one
 * silent check-in, the pair is at risk and the silent side offered a close after two, closed
 * after three.
 */
const engagement = 'engagement: { askPartnerAfter: 1, atRiskAfter: 2, closeOfferAfter: 2, closeAfter: 3 }';
const cast = (domain: string): SeedPerson[] => [
  { name: 'Amara Okafor', email: `amara@${domain}`, role: 'mentor' },
  { name: 'Lukas Becker', email: `lukas@${domain}`, role: 'mentor' },
  { name: 'Rosa Diaz', email: `rosa@${domain}`, role: 'mentor' },
  { name: 'Tom Hughes', email: `tom@${domain}`, role: 'mentee' },
  { name: 'Kenji Sato', email: `kenji@${domain}`, role: 'mentee' },
  { name: 'Ana Silva', email: `ana@${domain}`, role: 'mentee' },
];

describe('the engagement ladder, on the local runner', () => {
  let h: Awaited<ReturnType<typeof startWorkflowHarness>>;
  let deliveries = 0;
  beforeAll(async () => {
    h = await startWorkflowHarness();
  });
  afterAll(() => h.stop());

  /** A participant answers the latest email that asked them to (an auto-reply, when told). */
  const answer = async (person: SeedPerson, body: string, autoReply = false) => {
    const email = (await capturedEmails([person.email])).filter((e) => e.replyTo[0]).at(-1);
    if (!email) throw new Error(`nothing to answer for ${person.email}`);
    const to = email.replyTo[0] ?? '';
    const raw = await writeReply({
      from: person,
      to,
      original: { subject: email.subject, text: email.body.text ?? '', from: email.from, date: new Date() },
      body,
      client: 'gmail',
      date: new Date(),
      ...(autoReply ? { autoReply } : {}),
    });
    return receiveReply(
      {
        sesMessageId: `ladder-${++deliveries}`,
        raw,
        envelopeRecipients: [to],
        verdicts: authenticated,
        receivedAt: new Date(),
      },
      h.deps,
    );
  };

  /**
   * A cohort of three pairs, each with a story: one meets every time; in one the mentor goes
   * silent (only an out-of-office answers) while the mentee keeps answering; in one the mentee
   * misses a check-in, the mentor says they met, then the mentee pauses.
   */
  async function ladderCohort(id: string) {
    const people = cast(`${id}.example`);
    const c = await h.cohort({ id, people, programYaml: `mentorCapacity: 1\n${engagement}` });
    const cohort = await h.deps.store.getCohort(c.cohortId);
    if (!cohort) throw new Error('no cohort');
    const rounds = cohortCalendar(cohort.program).rounds;
    const person = (email: string) => people.find((p) => p.email === email) as SeedPerson;
    const stories: { thriving?: Pair; ghosting?: Pair; pausing?: Pair } = {};
    c.world.at(h.day('2027-01-21T10:00'), async () => {
      await approveCohort(c.cohortId, 'latest', h.deps);
    });
    // The pairs exist once the introductions are out.
    c.world.at(h.day(`${rounds[0]?.date}T08:00`), async () => {
      const pairs = (await h.deps.pairs.listPairs(c.cohortId)).sort((a, b) =>
        a.menteeEmail.localeCompare(b.menteeEmail),
      );
      [stories.thriving, stories.ghosting, stories.pausing] = pairs;
    });
    const at = (day: string, hour: string, run: () => Promise<unknown>) =>
      c.world.at(h.day(`${day}T${hour}`), async () => {
        await run();
      });
    for (const round of rounds) {
      // The day after the check-in, before the nudge.
      const next = new Date(`${round.date}T00:00:00Z`);
      next.setUTCDate(next.getUTCDate() + 1);
      const day = next.toISOString().slice(0, 10);
      at(day, '12:00', async () => {
        const { thriving, ghosting, pausing } = stories;
        if (!thriving || !ghosting || !pausing) throw new Error('no pairs');
        await answer(person(thriving.menteeEmail), 'Yes, we met. We talked about SQL. 4');
        await answer(person(thriving.mentorEmail), 'Yes');
        // Until the pair is closed, after round 3.
        if (round.number <= 3) {
          await answer(person(ghosting.menteeEmail), "No, haven't heard from them.");
          // Out of office: never an answer.
          await answer(person(ghosting.mentorEmail), 'I am out of the office until further notice.', true);
        }
        if (round.number === 1) await answer(person(pausing.mentorEmail), 'No');
        if (round.number === 3) await answer(person(pausing.menteeEmail), 'pause');
      });
    }
    // The mentor of the pausing pair answers the ladder's question, after round 1 closed.
    at(rounds[1]?.date ?? '', '12:00', async () => {
      const { pausing } = stories;
      if (pausing) await answer(person(pausing.mentorEmail), 'We met last week, all good.');
    });
    return { ...c, stories, rounds, people };
  }

  const sentTo = (emails: CapturedEmail[], address: string) =>
    emails
      .filter((e) => e.destination.to.some((to) => to.includes(address)))
      .map((e) => `${kindOf(e)}#${roundOf(e)}`)
      .filter(
        (message) =>
          !/^(check-in|midpoint-survey|closeout-survey|match-announcement|thank-you)#/.test(message),
      )
      .sort();

  it('climbs every rung for a silent mentor, resets on "we met", waits during a pause — each message once', async () => {
    const c = await ladderCohort('ladder-run');
    const snapshot: { pairs?: Pair[]; queue?: RematchRequest[] } = {};
    // Read before the purge (months after the close).
    c.world.at(h.day('2027-04-10T12:00'), async () => {
      snapshot.pairs = await h.deps.pairs.listPairs(c.cohortId);
      snapshot.queue = await h.deps.rematches.listRematches(c.cohortId);
    });
    const execution = await h.settled(await c.start());
    expect(execution.status).toBe('SUCCEEDED');
    const { thriving, ghosting, pausing } = c.stories;
    if (!thriving || !ghosting || !pausing) throw new Error('no pairs');
    const emails = await c.emails();
    expect(Math.max(...(await c.copies()).values())).toBe(1);
    const pair = (id: string) => snapshot.pairs?.find((p) => p.pairId === id);

    // The pair that meets never leaves the ground (nothing is even written on its ladder).
    expect(pair(thriving.pairId)?.ladder).toBeUndefined();

    // The silent mentor: every rung, one per step, the out-of-office never counting.
    const ghost = pair(ghosting.pairId);
    expect(ghost).toMatchObject({ status: 'ended', endKind: 'no-fault-close' });
    expect(Object.keys(ghost?.ladder?.reached ?? {}).sort()).toEqual([...ladderRungs].sort());
    expect(ghost?.ladder?.reason).toBe(
      `no meeting reported in 3 check-ins, and no answer from the mentor (${c.people.find((p) => p.email === ghosting.mentorEmail)?.name}); ${c.people.find((p) => p.email === ghosting.menteeEmail)?.name.split(' ')[0]} says they have not met`,
    );
    // The mentee is asked how it is going, the mentor offered a close, both told it ended.
    expect(sentTo(emails, ghosting.menteeEmail)).toEqual([
      'pair-closed#3',
      'partner-check#1',
      'rematch-unplaceable#2',
    ]);
    expect(sentTo(emails, ghosting.mentorEmail)).toEqual(
      ['close-offer#2', 'nudge#1', 'nudge#2', 'nudge#3', 'pair-closed#3'].sort(),
    );
    // The partner left behind joins the rematch queue; with only the close-out survey left (and
    // no free place), nobody can take her: she is told kindly.
    expect((snapshot.queue ?? []).map((r) => [r.email, r.reason, r.status, r.previousPairId])).toEqual([
      [ghosting.menteeEmail, 'no-fault-close', 'unplaceable', ghosting.pairId],
    ]);
    // The organizers' digest of round 2 lists the pair at risk, with its reason and a suggestion.
    const digest2 = emails.find((e) => kindOf(e) === 'organizer-digest' && roundOf(e) === 2);
    expect(digest2?.body.text).toContain('Pairs at risk');
    expect(digest2?.body.text).toContain('no answer from the mentor');
    expect(digest2?.body.text).toContain('Suggested:');

    // The pausing pair: asked once, reset by "we met", then suspended by the pause.
    const paused = pair(pausing.pairId);
    expect(Object.keys(paused?.ladder?.reached ?? {}).sort()).toEqual(['nudged', 'partnerAsked']);
    expect(paused?.ladder).toMatchObject({ silentRounds: 0, round: 3, pausedUntil: expect.any(String) });
    expect(paused?.status).toBe('active');
    expect(sentTo(emails, pausing.mentorEmail)).toContain('partner-check#1');
    expect(sentTo(emails, pausing.menteeEmail).filter((m) => !m.startsWith('nudge'))).toEqual([
      'pause-confirmation#3',
    ]);
  });

  it('is restartable: a round that crashes after its ladder reruns every rung, mailing nobody twice', async () => {
    const c = await ladderCohort('ladder-crash');
    // Round 3 closes, its ladder closes the silent mentor's pair, then the digest step crashes.
    c.world.at(h.day(`${c.rounds[2]?.date}T12:00`), async () => {
      h.workflow.injectFault('CloseRound', new Error('the function crashed'), 100);
    });
    expect((await h.settled(await c.start())).status).toBe('FAILED');
    const { ghosting } = c.stories;
    if (!ghosting) throw new Error('no pairs');
    expect((await h.deps.pairs.getPair(c.cohortId, ghosting.pairId))?.status).toBe('ended');

    h.workflow.clearFaults();
    // Before the purge: every rung of every round once more, by hand — nothing left to climb.
    const reruns: number[] = [];
    c.world.at(h.day('2027-04-10T12:00'), async () => {
      for (const round of [1, 2, 3])
        for (const rung of ladderRungs)
          reruns.push((await climbLadder(c.cohortId, round, rung, h.deps)).climbed);
      reruns.push((await h.deps.rematches.listRematches(c.cohortId)).length);
    });
    const restarted = await restartWorkflow(c.cohortId, h.deps);
    expect((await h.settled(restarted.executionName)).status).toBe('SUCCEEDED');
    expect(Math.max(...(await c.copies()).values())).toBe(1);
    const emails = await c.emails();
    expect(sentTo(emails, ghosting.mentorEmail)).toEqual(
      ['close-offer#2', 'nudge#1', 'nudge#2', 'nudge#3', 'pair-closed#3'].sort(),
    );
    expect(sentTo(emails, ghosting.menteeEmail)).toEqual([
      'pair-closed#3',
      'partner-check#1',
      'rematch-unplaceable#2',
    ]);
    // Nothing climbed again; one person in the queue.
    expect(reruns).toEqual([...Array(18).fill(0), 1]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplyContent } from '../../shared/cohorts/answer.ts';
import type { Cohort } from '../../shared/cohorts/cohort.ts';
import { pairIdOf } from '../../shared/cohorts/pair.ts';
import { ledgerHeader, ownRoundsFrom, parseLedgerId } from '../../shared/email/outbound-email.ts';
import type { ReceiptVerdicts } from '../../shared/inbound/authentication-verdict.ts';
import { cohortCalendar } from '../../shared/program/calendar.ts';
import { type ReceiveDeps, receiveReply } from '../../shared/use-cases/receive-reply.ts';
import { requestRematch } from '../../shared/use-cases/rematch.ts';
import { sendDigest } from '../../shared/use-cases/send-digest.ts';
import { seedCohort } from '../support/cohort-fixture.ts';
import { authenticated, rawMessage, receiveDeps, unauthenticated } from '../support/inbound-mail.ts';
import { createTestTable, fixedClock } from '../support/local-table.ts';
import { type CapturedEmail, capturedEmails, header } from '../support/mail-deps.ts';
import { replyContent } from '../support/reply-content.ts';

const domain = 'org-replies.example';
const at = (name: string) => `${name}@${domain}`;
const person = (name: string, role: 'mentor' | 'mentee') => ({
  name: `${name[0]?.toUpperCase()}${name.slice(1)} Reply`,
  email: at(name),
  role,
});
const cohortId = 'org-replies';
const grace = `grace@${cohortId}.example`;
const pairOf = (mentee: string, mentor: string) => pairIdOf(cohortId, at(mentee), at(mentor));

describe('organizers act by replying to the digest (close N, rematch N, nudge N, approve)', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let deps: ReceiveDeps;
  let cohort: Cohort;
  const clock = fixedClock('2027-02-16T10:00:00Z');
  let deliveries = 0;

  const receive = (from: string, to: string, body: string, verdicts: ReceiptVerdicts, messageId?: string) =>
    receiveReply(
      {
        sesMessageId: `ses-org-${++deliveries}`,
        raw: rawMessage({ from, to, body, subject: 'Re: digest', ...(messageId ? { messageId } : {}) }),
        envelopeRecipients: [to],
        verdicts,
        mailFrom:
          verdicts === unauthenticated ? 'bounces@forger.example' : from.replace(/^.*<([^>]+)>$/, '$1'),
        receivedAt: clock.now(),
      },
      deps,
    );
  const toGrace = async () => capturedEmails([grace]);
  const latest = async (subject: string): Promise<CapturedEmail> => {
    const found = (await toGrace()).filter((e) => e.subject.includes(subject)).at(-1);
    if (!found) throw new Error(`no email "${subject}" to ${grace}`);
    return found;
  };
  /** The digest's number for a pair, as the email shows it. */
  const numberOf = async (round: number, title: string) =>
    (await deps.digests.getDigestItems(cohortId, round))?.items.find((item) => item.title === title)?.number;
  const answer = async (email: string, round: number, content: Partial<ReplyContent>) => {
    const participant = await deps.store.getParticipant(cohortId, email);
    await deps.answers.recordReply({
      cohortId,
      round,
      participantId: participant?.participantId ?? '',
      email,
      content: replyContent(content),
      messageId: `<${email}-${round}@${domain}>`,
      receivedAt: clock.now().toISOString(),
      text: 'survey answers',
    });
  };

  beforeAll(async () => {
    table = await createTestTable();
    deps = receiveDeps(table, clock);
    cohort = await seedCohort(deps, {
      id: cohortId,
      people: [
        ...['ana', 'ben', 'cleo', 'dora', 'jo', 'kim'].map((name) => person(name, 'mentee')),
        ...['dev', 'eve', 'finn', 'gus', 'hal'].map((name) => person(name, 'mentor')),
        { ...person('ivy', 'mentor'), capacity: 2 },
      ],
      pairs: [
        [at('ana'), at('dev')],
        [at('ben'), at('eve')],
        [at('cleo'), at('finn')],
        [at('dora'), at('gus')],
        [at('jo'), at('ivy')],
        [at('kim'), at('ivy')],
      ],
      programYaml: 'mentorCapacity: 1',
    });
    await deps.store.updateCohort(cohortId, { phase: 'running', completedRounds: 2 });
    for (const [mentee, mentor] of [
      ['ben', 'eve'],
      ['cleo', 'finn'],
    ] as const) {
      await deps.pairs.setLadder(cohortId, pairOf(mentee, mentor), {
        rung: 'organizerAlerted',
        reason: 'no meeting reported in 3 check-ins',
        silentRounds: 3,
        silentSide: 'mentor',
        reached: { atRisk: '2027-02-15T09:00:00.000Z', organizerAlerted: '2027-02-15T09:00:00.000Z' },
      });
    }
  });
  afterAll(() => table.drop());

  it('numbers what needs a decision, with its evidence and commands, from the organizer’s own reply address', async () => {
    await sendDigest(cohortId, 2, deps);
    const digest = await latest('digest for check-in 2');
    expect(digest.replyTo).toEqual([expect.stringMatching(/^reply\+[a-z2-7]+@reply\.test\.localhost$/)]);
    const ben = await numberOf(2, 'Ben Reply & Eve Reply');
    const cleo = await numberOf(2, 'Cleo Reply & Finn Reply');
    expect([ben, cleo].sort()).toEqual([1, 2]);
    expect(digest.body.text).toContain(
      `${ben}. **Ben Reply & Eve Reply** — no meeting reported in 3 check-ins. Suggested: a personal note to the mentor often helps`,
    );
    expect(digest.body.text).toContain(`Reply: \`nudge ${cleo}\` · \`close ${cleo}\` · \`rematch ${cleo}\``);
    expect(digest.body.text).not.toContain('tandem status');
  });

  it('does what the commands say, once, and confirms what was done, not done and not understood', async () => {
    const digest = await latest('digest for check-in 2');
    const to = digest.replyTo[0] ?? '';
    const ben = await numberOf(2, 'Ben Reply & Eve Reply');
    const cleo = await numberOf(2, 'Cleo Reply & Finn Reply');
    const before = await capturedEmails([at('ben'), at('eve'), at('cleo'), at('hal')]);
    const body = `nudge ${ben}\nclose ${cleo}\nrematch 9\nthanks, great digest!\napprove\n\nOn Tue, Tandem wrote:\n> close 1`;
    const messageId = `<grace-1@${domain}>`;
    const result = await receive(`Grace Hopper <${grace}>`, to, body, authenticated, messageId);
    expect(result).toMatchObject({ outcome: 'organizer_command', round: 2 });

    const pairs = await deps.pairs.listPairs(cohortId);
    expect(pairs.find((p) => p.pairId === pairOf('cleo', 'finn'))).toMatchObject({
      status: 'ended',
      endKind: 'organizer',
    });
    // Cleo was proposed the one free mentor, Hal, and `approve` introduced them.
    expect(pairs.find((p) => p.menteeEmail === at('cleo') && p.status === 'active')).toMatchObject({
      mentorEmail: at('hal'),
      origin: 'rematch',
    });
    const sent = (await capturedEmails([at('ben'), at('eve'), at('cleo'), at('hal')]))
      .slice(before.length)
      .map((e) => e.subject)
      .sort();
    expect(sent).toEqual([
      'How is it going with Ben?',
      'How is it going with Eve?',
      'Meet your mentee: Cleo Reply',
      'Meet your mentor: Hal Reply',
    ]);

    const confirmation = await latest('what your reply did');
    expect(confirmation.body.text).toContain(`- nudge ${ben}: nudged Ben Reply & Eve Reply about check-in 2`);
    expect(confirmation.body.text).toContain(
      `- close ${cleo}: ended Cleo Reply & Finn Reply, at no one's fault`,
    );
    expect(confirmation.body.text).toContain('- approve: 1 new pair introduced');
    expect(confirmation.body.text).toContain('Not done:\n- rematch 9: this digest has no item 9');
    expect(confirmation.body.text).toContain('- thanks, great digest!');
    expect(confirmation.body.text).not.toContain('close 1');

    // The same reply delivered again: nothing more happens, no second confirmation.
    const mailBefore = (await toGrace()).length;
    const again = await receive(`Grace Hopper <${grace}>`, to, body, authenticated, messageId);
    expect(again.outcome).toBe('duplicate');
    expect(await toGrace()).toHaveLength(mailBefore);
  });

  it('does nothing for a sender it cannot authenticate, or who is not an organizer, and tells the organizer', async () => {
    const to = (await latest('digest for check-in 2')).replyTo[0] ?? '';
    const ben = await numberOf(2, 'Ben Reply & Eve Reply');
    for (const [from, verdicts, why] of [
      [`Grace Hopper <${grace}>`, unauthenticated, 'its sender could not be authenticated'],
      [
        `Mallory <mallory@${domain}>`,
        authenticated,
        `it came from mallory@${domain}, which is not one of the program's organizers`,
      ],
    ] as const) {
      const result = await receive(from, to, `close ${ben}`, verdicts);
      expect(result.outcome).toBe('organizer_command');
      expect(
        (await deps.pairs.listPairs(cohortId)).find((p) => p.pairId === pairOf('ben', 'eve'))?.status,
      ).toBe('active');
      expect((await deps.notices.list(cohortId)).map((n) => n.message)).toContainEqual(
        expect.stringContaining(why),
      );
      expect((await latest('what your reply did')).body.text).toContain('**nothing was done**');
    }
  });

  it('the mid-point review groups pairs by reason, and a pair closed from it ends well: a thank-you to both, nobody queued', async () => {
    const midpoint = cohortCalendar(cohort.program, cohort.schedule).midpointRound;
    await deps.store.updateCohort(cohortId, { completedRounds: midpoint });
    await answer(at('ana'), midpoint, {
      survey: { usefulness: 3, decision: 'end', help: 'we want different things' },
    });
    await answer(at('dora'), midpoint, {
      survey: { usefulness: 2, decision: 'change-focus', help: 'more structure' },
    });
    await answer(at('gus'), midpoint, { survey: { usefulness: 4, decision: 'continue' } });
    await sendDigest(cohortId, midpoint, deps);
    const review = await latest(`digest for check-in ${midpoint}`);
    const text = review.body.text ?? '';
    expect(text).toContain('This is the **mid-point review**');
    const heading = (h: string) => text.indexOf(`**${h}**`);
    // Most pressing first: silent, then low usefulness, then asked to end.
    expect(heading('Silent: no answer to the mid-point survey')).toBeGreaterThan(0);
    expect(heading('Low usefulness: rated 2 or less out of 5')).toBeGreaterThan(
      heading('Silent: no answer to the mid-point survey'),
    );
    expect(heading('Asked to end the pairing')).toBeGreaterThan(
      heading('Low usefulness: rated 2 or less out of 5'),
    );
    const ana = await numberOf(midpoint, 'Ana Reply & Dev Reply');
    expect(text).toContain(
      `${ana}. **Ana Reply & Dev Reply** — Ana Reply answered "end" — "we want different things" Reply: \`close ${ana}\` · \`rematch ${ana}\``,
    );
    expect(text).toContain('Dora Reply rated it 2/5 — "more structure"');
    expect(text).toContain('Ben Reply & Eve Reply** — neither side answered the mid-point survey');

    const queued = (await deps.rematches.listRematches(cohortId)).length;
    const before = (await capturedEmails([at('ana'), at('dev')])).length;
    await receive(`Grace Hopper <${grace}>`, review.replyTo[0] ?? '', `close ${ana}`, authenticated);
    expect(
      (await deps.pairs.listPairs(cohortId)).find((p) => p.pairId === pairOf('ana', 'dev')),
    ).toMatchObject({
      status: 'ended',
      endKind: 'midpoint',
    });
    expect(await deps.rematches.listRematches(cohortId)).toHaveLength(queued);
    const thanks = (await capturedEmails([at('ana'), at('dev')])).slice(before);
    expect(thanks.map((e) => e.subject).sort()).toEqual([
      'Thank you, Ana: your pairing in Fixture Program ends here',
      'Thank you, Dev: your pairing in Fixture Program ends here',
    ]);
    expect(thanks[0]?.body.text).toContain('nobody is at fault');
    expect((await latest('what your reply did')).body.text).toContain(
      `close ${ana}: ended Ana Reply & Dev Reply at the mid-point, with a thank-you to both`,
    );

    // Both of a mentor's pairs asked to end: two thank-yous to the mentor, one for each pairing.
    await answer(at('jo'), midpoint, { survey: { usefulness: 2, decision: 'end' } });
    await answer(at('kim'), midpoint, { survey: { usefulness: 2, decision: 'end' } });
    await sendDigest(cohortId, midpoint, deps);
    const again = await latest(`digest for check-in ${midpoint}`);
    const jo = await numberOf(midpoint, 'Jo Reply & Ivy Reply');
    const kim = await numberOf(midpoint, 'Kim Reply & Ivy Reply');
    const toIvy = (await capturedEmails([at('ivy')])).length;
    await receive(
      `Grace Hopper <${grace}>`,
      again.replyTo[0] ?? '',
      `close ${jo}\nclose ${kim}`,
      authenticated,
    );
    const ivyThanks = (await capturedEmails([at('ivy')])).slice(toIvy);
    // Each in a ledger round of its own, which no check-in round reaches.
    for (const email of ivyThanks) {
      expect(parseLedgerId(header(email, ledgerHeader) ?? '')?.round).toBeGreaterThanOrEqual(ownRoundsFrom);
    }
    expect(ivyThanks.map((e) => e.subject)).toEqual([
      'Thank you, Ivy: your pairing in Fixture Program ends here',
      'Thank you, Ivy: your pairing in Fixture Program ends here',
    ]);
    expect(ivyThanks.map((e) => e.body.text?.match(/your pairing with (\w+ Reply)/)?.[1]).sort()).toEqual([
      'Jo Reply',
      'Kim Reply',
    ]);
  });

  it('`rematch N` ends the pair and finds its mentee a new mentor; `approve` in the same reply introduces them', async () => {
    const digest = await latest('digest for check-in 2');
    const ben = await numberOf(2, 'Ben Reply & Eve Reply');
    await receive(
      `Grace Hopper <${grace}>`,
      digest.replyTo[0] ?? '',
      `rematch ${ben}\napprove`,
      authenticated,
    );
    const pairs = await deps.pairs.listPairs(cohortId);
    expect(pairs.find((p) => p.pairId === pairOf('ben', 'eve'))).toMatchObject({
      status: 'ended',
      endKind: 'organizer',
    });
    const next = pairs.find((p) => p.menteeEmail === at('ben') && p.status === 'active');
    expect(next).toMatchObject({ origin: 'rematch' });
    expect(next?.mentorEmail).not.toBe(at('eve'));
    const confirmation = (await latest('what your reply did')).body.text;
    expect(confirmation).toContain(
      `- rematch ${ben}: ${at('ben')} will be matched with ${next?.mentorEmail} once you approve`,
    );
    expect(confirmation).toContain('- approve: 1 new pair introduced');
  });

  it('approves the rematches of a proposal email by replying `approve` to it', async () => {
    const outcome = await requestRematch(cohortId, at('dora'), 'organizer', deps);
    const [proposal] = outcome.proposals.proposed;
    expect(proposal).toMatchObject({ mentee: at('dora') });
    expect(proposal?.mentor).not.toBe(at('gus'));
    const email = await latest('new partners to approve');
    expect(email.body.text).toContain('To approve them all, reply to this email with **approve**');
    await receive(`Grace Hopper <${grace}>`, email.replyTo[0] ?? '', 'Approve.', authenticated);
    expect(
      (await deps.pairs.listPairs(cohortId)).find(
        (p) => p.menteeEmail === at('dora') && p.status === 'active',
      ),
    ).toMatchObject({ mentorEmail: proposal?.mentor, origin: 'rematch' });
    expect((await latest('what your reply did')).body.text).toContain('- Approve.: 1 new pair introduced');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cohortCalendar } from '../../shared/program/calendar.ts';
import { approveRematches, type RematchDeps, requestRematch } from '../../shared/use-cases/rematch.ts';
import { seedCohort } from '../support/cohort-fixture.ts';
import { createTestTable, fixedClock } from '../support/local-table.ts';
import { capturedEmails, mailDeps } from '../support/mail-deps.ts';

const domain = 'rematch.example';
const at = (name: string) => `${name}@${domain}`;
const person = (name: string, role: 'mentor' | 'mentee') => ({
  name: `${name[0]?.toUpperCase()}${name.slice(1)} Example`,
  email: at(name),
  role,
});
const addressOf = (to: string) => to.replace(/^.*<([^>]+)>$/, '$1').toLowerCase();

describe('rematches on the local stack: the queue, proposals over free places, approval', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let deps: RematchDeps;
  const clock = fixedClock('2027-02-16T10:00:00Z');
  /** The round a pair formed today joins: the first whose check-in has not gone out. */
  let nextRound: number;

  const mailSince = async (recipients: string[], before: number) =>
    (await capturedEmails(recipients))
      .slice(before)
      .map((e) => [addressOf(e.destination.to[0] ?? ''), e.subject]);

  beforeAll(async () => {
    table = await createTestTable();
    deps = mailDeps(table, clock);
    // One mentee per mentor: a free place is a mentor without a pair.
    const review = await seedCohort(deps, {
      id: 'rematch-review',
      people: [
        person('ana', 'mentee'),
        person('ben', 'mentee'),
        person('dev', 'mentor'),
        person('eve', 'mentor'),
        person('gus', 'mentor'),
      ],
      pairs: [
        [at('ana'), at('dev')],
        [at('ben'), at('eve')],
      ],
      programYaml: 'mentorCapacity: 1',
    });
    const automatic = await seedCohort(deps, {
      id: 'rematch-auto',
      people: [
        person('hana', 'mentee'),
        person('ivo', 'mentee'),
        person('jon', 'mentor'),
        person('kai', 'mentor'),
      ],
      pairs: [
        [at('hana'), at('jon')],
        [at('ivo'), at('kai')],
      ],
      programYaml: 'mentorCapacity: 1\nrematch: automatic',
    });
    for (const cohort of [review, automatic]) {
      await deps.store.updateCohort(cohort.id, { phase: 'running', completedRounds: 1 });
    }
    nextRound =
      cohortCalendar(review.program, review.schedule).rounds.find(
        (r) => r.number > 1 && r.date > '2027-02-16',
      )?.number ?? 0;
  });
  afterAll(() => table.drop());

  it('ends the pair of a mentee who asks, queues both sides and proposes the one free mentor who is not their previous partner', async () => {
    const before = (await capturedEmails([at('ana'), 'grace@rematch-review.example'])).length;
    const outcome = await requestRematch('rematch-review', at('ana'), 'participant', deps);

    expect(outcome.queued.map((r) => [r.email, r.reason]).sort()).toEqual([
      [at('ana'), 'participant-request'],
      [at('dev'), 'partner-exit'],
    ]);
    const pairs = await deps.pairs.listPairs('rematch-review');
    expect(pairs.find((p) => p.menteeEmail === at('ana'))).toMatchObject({
      status: 'ended',
      endKind: 'rematch-request',
    });
    // Dev's place is free again, but he was Ana's partner: only Gus can take her.
    expect(outcome.proposals.proposed).toEqual([
      expect.objectContaining({ mentee: at('ana'), mentor: at('gus'), round: nextRound }),
    ]);
    expect(outcome.proposals.approved).toEqual([]);
    // Nothing is formed before an organizer approves: the organizers get the draft, Ana hears nothing more.
    expect(pairs.filter((p) => p.status === 'active').map((p) => p.menteeEmail)).toEqual([at('ben')]);
    expect(await mailSince([at('ana'), 'grace@rematch-review.example'], before)).toEqual([
      ['grace@rematch-review.example', 'Fixture Program: new partners to approve'],
    ]);
  });

  it('asking again while waiting changes nothing', async () => {
    const outcome = await requestRematch('rematch-review', at('ana'), 'participant', deps);
    expect(outcome.queued).toEqual([]);
    expect(outcome.proposals.proposed).toEqual([]);
    const ana = (await deps.rematches.listRematches('rematch-review')).filter((r) => r.email === at('ana'));
    expect(ana.map((r) => r.status)).toEqual(['proposed']);
  });

  it('approval forms the new pair at the next round and introduces both sides; a rerun forms nothing twice', async () => {
    const before = (await capturedEmails([at('ana'), at('gus')])).length;
    const formed = await approveRematches('rematch-review', deps);
    expect(formed).toEqual([
      expect.objectContaining({
        menteeEmail: at('ana'),
        mentorEmail: at('gus'),
        origin: 'rematch',
        status: 'active',
        startRound: nextRound,
      }),
    ]);
    expect((await mailSince([at('ana'), at('gus')], before)).sort()).toEqual([
      [at('ana'), 'Meet your mentor: Gus Example'],
      [at('gus'), 'Meet your mentee: Ana Example'],
    ]);
    const toAna = (await capturedEmails([at('ana')])).at(-1);
    expect(toAna?.body.text).toContain('Here is your new match in **Fixture Program**');

    expect(await approveRematches('rematch-review', deps)).toEqual([]);
    expect(await mailSince([at('ana'), at('gus')], before)).toHaveLength(2);
    const queue = await deps.rematches.listRematches('rematch-review');
    expect(queue.map((r) => [r.email, r.status, r.newPartner]).sort()).toEqual([
      [at('ana'), 'matched', at('gus')],
      [at('dev'), 'queued', undefined],
    ]);
  });

  it('an organizer’s rematch takes the mentor freed earlier, and the mentor who waited stops waiting', async () => {
    const outcome = await requestRematch('rematch-review', at('ben'), 'organizer', deps);
    expect(outcome.proposals.proposed).toEqual([
      expect.objectContaining({ mentee: at('ben'), mentor: at('dev') }),
    ]);
    expect(outcome.queued.map((r) => [r.email, r.reason]).sort()).toEqual([
      [at('ben'), 'organizer'],
      [at('eve'), 'organizer'],
    ]);
    await approveRematches('rematch-review', deps);
    const queue = await deps.rematches.listRematches('rematch-review');
    expect(queue.filter((r) => r.email === at('dev')).map((r) => [r.status, r.newPartner])).toEqual([
      ['matched', at('ben')],
    ]);
  });

  it('tells a mentee nobody can take kindly, and the organizers why', async () => {
    const before = (await capturedEmails([at('hana')])).length;
    const outcome = await requestRematch('rematch-auto', at('hana'), 'participant', deps);
    // Jon's place is the only one free, and he was Hana's partner.
    expect(outcome.proposals.unplaceable).toEqual([
      { mentee: at('hana'), reason: expect.stringContaining('eligible mentors full') },
    ]);
    expect(await mailSince([at('hana')], before)).toEqual([
      [at('hana'), 'About your new match in Fixture Program'],
    ]);
    const notices = await deps.notices.list('rematch-auto');
    expect(notices.map((n) => n.message)).toContainEqual(
      expect.stringContaining('Nobody can take Hana Example <hana@rematch.example> as a new mentee'),
    );
  });

  it('with `rematch: automatic` the new pair forms at once, with its introductions', async () => {
    const before = (await capturedEmails([at('ivo'), at('jon')])).length;
    const outcome = await requestRematch('rematch-auto', at('ivo'), 'participant', deps);
    expect(outcome.proposals.approved).toEqual([
      expect.objectContaining({ menteeEmail: at('ivo'), mentorEmail: at('jon'), origin: 'rematch' }),
    ]);
    expect((await mailSince([at('ivo'), at('jon')], before)).sort()).toEqual([
      [at('ivo'), 'Meet your mentor: Jon Example'],
      [at('jon'), 'Meet your mentee: Ivo Example'],
    ]);
  });

  it('a mentee nobody could take asks again once a place is free: the same request is back in the queue, and placed', async () => {
    // Ivo's rematch left Kai's place free.
    const outcome = await requestRematch('rematch-auto', at('hana'), 'organizer', deps);
    expect(outcome.queued).toEqual([
      expect.objectContaining({ email: at('hana'), status: 'queued', reason: 'organizer' }),
    ]);
    expect(outcome.proposals.approved).toEqual([
      expect.objectContaining({ menteeEmail: at('hana'), mentorEmail: at('kai'), origin: 'rematch' }),
    ]);
    const hana = (await deps.rematches.listRematches('rematch-auto')).filter((r) => r.email === at('hana'));
    expect(hana).toEqual([expect.objectContaining({ status: 'matched', newPartner: at('kai') })]);
    expect(hana[0]?.unplaceableReason).toBeUndefined();
  });
});

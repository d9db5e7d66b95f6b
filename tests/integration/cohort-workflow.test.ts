import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.ts';
import { queryPrefix } from '../../shared/adapters/dynamodb/table-helpers.ts';
import { createMatchDraft } from '../../shared/use-cases/create-match-draft.ts';
import { approveCohort } from '../../shared/workflow/matching-steps.ts';
import { pauseCohort, restartWorkflow, resumeCohort } from '../../shared/workflow/schedule-commands.ts';
import { kindOf, roundOf, startWorkflowHarness } from '../support/workflow-harness.ts';

const people = (domain: string) => [
  { name: 'Amara Okafor', email: `amara@${domain}`, role: 'mentor' as const },
  { name: 'Lukas Becker', email: `lukas@${domain}`, role: 'mentor' as const, timezone: 'America/New_York' },
  { name: 'Tom Hughes', email: `tom@${domain}`, role: 'mentee' as const },
  { name: 'Kenji Sato', email: `kenji@${domain}`, role: 'mentee' as const, timezone: 'Asia/Tokyo' },
  { name: 'Ana Silva', email: `ana@${domain}`, role: 'mentee' as const, timezone: 'Europe/Lisbon' },
];

/** The cohort's synthesized state machine, run on the local interpreter in virtual time. */
describe('the cohort workflow, on the local runner', () => {
  let h: Awaited<ReturnType<typeof startWorkflowHarness>>;
  beforeAll(async () => {
    h = await startWorkflowHarness();
  });
  afterAll(() => h.stop());

  const cohortWithApproval = async (id: string, approveOn: string) => {
    const cohort = await h.cohort({ id, people: people(`${id}.example`) });
    cohort.world.at(h.day(approveOn), async () => {
      await approveCohort(cohort.cohortId, 'latest', h.deps);
    });
    return cohort;
  };
  const to = (address: string) => (email: { destination: { to: string[] } }) =>
    email.destination.to[0]?.includes(address) ?? false;

  /**
   * Reads the table once the cohort has closed and before its personal data is purged, months
   * later: by the end of the run, participants' items are gone.
   */
  const beforePurge = <T>(
    c: { world: { at(time: number, run: () => Promise<void>): void } },
    read: () => Promise<T>,
  ) => {
    const result: { value?: T } = {};
    c.world.at(h.day('2027-04-20T12:00'), async () => {
      result.value = await read();
    });
    return result;
  };

  it('runs a cohort end to end: every message once, in each participant’s morning', async () => {
    const c = await cohortWithApproval('wf-happy', '2027-01-21T10:00');
    // Each participant's email goes out in their own morning: 09:00 in Tokyo is midnight UTC.
    const sentAt = async (address: string) => {
      const participant = await h.deps.store.getParticipant(c.cohortId, address);
      const key = {
        cohortId: c.cohortId,
        recipientId: participant?.participantId ?? '',
        kind: 'check-in' as const,
        round: 1,
      };
      return (await h.deps.ledger.get(key))?.sentAt?.slice(0, 16);
    };
    const firstCheckIns = beforePurge(c, async () =>
      Promise.all(['kenji@', 'tom@', 'lukas@'].map((name) => sentAt(`${name}wf-happy.example`))),
    );
    const execution = await h.settled(await c.start());
    expect(execution.status).toBe('SUCCEEDED');
    expect(await h.deps.store.getCohort(c.cohortId)).toMatchObject({ phase: 'closed', completedRounds: 4 });
    expect(Math.max(...(await c.copies()).values())).toBe(1);

    const emails = await c.emails();
    const sentTo = (address: string) =>
      emails
        .filter(to(address))
        .map((e) => `${kindOf(e)}#${roundOf(e)}`)
        .sort();
    expect(sentTo('tom@')).toEqual(
      [
        'match-announcement#0',
        'check-in#1',
        'nudge#1',
        'check-in#2',
        'nudge#2',
        'midpoint-survey#3',
        'nudge#3',
        'closeout-survey#4',
        'nudge#4',
        'thank-you#5',
      ].sort(),
    );
    expect(sentTo('grace@')).toEqual(
      [
        'approval-request#0',
        'organizer-digest#1',
        'organizer-digest#2',
        'organizer-digest#3',
        'organizer-digest#4',
        'organizer-report#0',
      ].sort(),
    );
    // (To the minute: sending itself takes a moment of virtual time.)
    expect(firstCheckIns.value).toEqual(['2027-02-15T00:00', '2027-02-15T08:00', '2027-02-15T14:00']);
  });

  it('reminds the organizers when the match draft waits too long, and carries on once approved', async () => {
    const c = await cohortWithApproval('wf-approval', '2027-01-24T12:00');
    c.world.at(h.day('2027-02-02T12:00'), () => h.workflow.stopAll());
    await h.settled(await c.start());
    const requests = (await c.emails()).filter((e) => kindOf(e) === 'approval-request');
    expect(requests.map((e) => [roundOf(e), e.subject.startsWith('Reminder:')])).toEqual([
      [0, false],
      [1, true],
    ]);
    expect((await h.deps.store.getCohort(c.cohortId))?.phase).toBe('running');
    expect((await c.emails()).some((e) => kindOf(e) === 'match-announcement')).toBe(true);
  });

  it('runs a cohort whose draft was approved before intake closed: no review, the pairs start', async () => {
    const c = await h.cohort({ id: 'wf-early', people: people('wf-early.example') });
    await createMatchDraft(c.cohortId, h.deps);
    await approveCohort(c.cohortId, 'latest', h.deps);
    c.world.at(h.day('2027-02-02T12:00'), () => h.workflow.stopAll());
    await h.settled(await c.start());
    expect((await h.deps.store.getCohort(c.cohortId))?.phase).toBe('running');
    const kinds = (await c.emails()).map(kindOf);
    expect(kinds).not.toContain('approval-request');
    expect(kinds).toContain('match-announcement');
  });

  it('recovers from a failing step by retrying it', async () => {
    const c = await cohortWithApproval('wf-retry', '2027-01-21T10:00');
    h.workflow.injectFault('PlanNextStep', new Error('DynamoDB had a bad moment'), 2);
    const execution = await h.settled(await c.start());
    expect(execution.status).toBe('SUCCEEDED');
    const notices = await h.deps.notices.list(c.cohortId);
    expect(notices.filter((n) => n.message.includes('stopped'))).toEqual([]);
  });

  it('alerts the organizers when a step keeps failing, and a restart finishes the round with no duplicate', async () => {
    const c = await cohortWithApproval('wf-crash', '2027-01-21T10:00');
    // Round 1's check-ins go out, then the round crashes before its nudges, every time.
    h.workflow.injectFault('PlanNudges', new Error('the function crashed'), 100);
    expect((await h.settled(await c.start())).status).toBe('FAILED');
    const alerts = (await c.emails()).filter((e) => kindOf(e) === 'organizer-alert');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.body.text).toContain('PlanNudges');
    expect(alerts[0]?.body.text).toContain(`tandem restart ${c.cohortId}`);
    const roundOne = async () =>
      (await c.emails()).filter((e) => kindOf(e) === 'check-in' && roundOf(e) === 1);
    expect(await roundOne()).toHaveLength(5);

    h.workflow.clearFaults();
    const restarted = await restartWorkflow(c.cohortId, h.deps);
    expect((await h.settled(restarted.executionName)).status).toBe('SUCCEEDED');
    expect(await roundOne()).toHaveLength(5);
    expect(Math.max(...(await c.copies()).values())).toBe(1);
    expect((await h.deps.store.getCohort(c.cohortId))?.phase).toBe('closed');
  });

  it('honours a pause and a resume: no check-ins while paused, the rest move back', async () => {
    const c = await cohortWithApproval('wf-pause', '2027-01-21T10:00');
    c.world.at(h.day('2027-02-22T10:00'), async () => {
      await pauseCohort(c.cohortId, h.deps);
    });
    c.world.at(h.day('2027-03-08T10:00'), async () => {
      await resumeCohort(c.cohortId, h.deps);
    });
    const ledger = beforePurge(c, () =>
      queryPrefix(createDocumentClient(), process.env.TABLE_NAME ?? '', `COHORT#${c.cohortId}`, 'SEND#'),
    );
    await c.start();
    const last = await h.lastExecution(c.cohortId);
    expect(last.name).toBe(`${c.cohortId}--3`);
    expect(last.status).toBe('SUCCEEDED');
    expect(Math.max(...(await c.copies()).values())).toBe(1);
    // Round 2 was due on 1 March; the two-week pause moved it to 15 March. Nothing went out while paused.
    const sends = (ledger.value ?? [])
      .filter((item) => ['check-in', 'midpoint-survey', 'nudge'].includes(String(item.kind)))
      .map((item) => ({ round: Number(item.round), sentAt: String(item.sentAt) }));
    const round2 = sends.filter((send) => send.round === 2);
    expect(round2.length).toBeGreaterThanOrEqual(5);
    for (const send of round2) expect(send.sentAt >= '2027-03-14').toBe(true);
    expect(
      sends.filter((send) => send.sentAt > '2027-02-22T10:00' && send.sentAt < '2027-03-08T09:00'),
    ).toEqual([]);
  });
});

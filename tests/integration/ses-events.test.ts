import { readFileSync } from 'node:fs';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sesEventRecord } from '../../local/ses-event-feed.ts';
import { seedCohort } from '../support/cohort-fixture.ts';
import { setHandlerEnvironment } from '../support/handler-environment.ts';
import { createTestTable, fixedClock } from '../support/local-table.ts';
import { mailDeps } from '../support/mail-deps.ts';

/**
 * Bounces and complaints through the deployed `ses-events` function, as SQS hands them over,
 * built from the event records AWS documents (tests/fixtures/ses-events).
 */
const cohortId = 'ses-events-test';
const other = 'ses-events-other';
const tom = 'tom@ses-events.example';
const amara = 'amara@ses-events.example';
const kenji = 'kenji@ses-events.example';

function documentedEvent(file: string, fill: Record<string, string>): SQSRecord {
  let body = readFileSync(`tests/fixtures/ses-events/${file}`, 'utf8');
  for (const [name, value] of Object.entries(fill)) body = body.replaceAll(`{{${name}}}`, value);
  return { ...sesEventRecord({}), body: JSON.stringify(JSON.parse(body)) };
}

describe('SES bounce and complaint events through the ses-events function', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let deps: ReturnType<typeof mailDeps>;
  let handle: (records: SQSRecord[]) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

  beforeAll(async () => {
    table = await createTestTable();
    deps = mailDeps(table, fixedClock('2027-02-16T09:00:00Z'));
    const people = [
      { name: 'Tom Hughes', email: tom, role: 'mentee' as const },
      { name: 'Amara Okafor', email: amara, role: 'mentor' as const },
      { name: 'Kenji Sato', email: kenji, role: 'mentee' as const },
    ];
    await seedCohort(deps, { id: cohortId, people, pairs: [[tom, amara]] });
    // Tom and Amara are in a second cohort too.
    await seedCohort(deps, { id: other, people: people.slice(0, 2), pairs: [] });
    setHandlerEnvironment(table);
    const { handler } = await import('../../functions/events/ses-events.ts');
    handle = (records) => handler({ Records: records }, { awsRequestId: 'test' } as never);
  });
  afterAll(() => table.drop());

  const participant = (cohort: string, email: string) => deps.store.getParticipant(cohort, email);
  const fill = async (email: string) => ({
    email,
    cohort: cohortId,
    recipientId: (await participant(cohortId, email))?.participantId ?? '',
  });

  it('a permanent bounce stops mail to the address in every cohort, and tells the organizers once', async () => {
    const bounce = documentedEvent('bounce.json', await fill(tom));
    expect((await handle([bounce])).batchItemFailures).toEqual([]);
    // SQS delivers at least once: the same event again changes nothing.
    expect((await handle([{ ...bounce, messageId: 'again' }])).batchItemFailures).toEqual([]);
    for (const cohort of [cohortId, other]) {
      expect((await participant(cohort, tom))?.undeliverableAt).toBeDefined();
      const bounces = (await deps.notices.list(cohort)).filter((n) => n.kind === 'bounce');
      expect(bounces).toHaveLength(1);
      expect(bounces[0]?.message).toContain(tom);
    }
  });

  it('a complaint unsubscribes the person from the cohort that mailed them, only', async () => {
    const complaint = documentedEvent('complaint.json', await fill(amara));
    expect((await handle([complaint])).batchItemFailures).toEqual([]);
    expect((await participant(cohortId, amara))?.unsubscribedAt).toBeDefined();
    expect((await participant(other, amara))?.unsubscribedAt).toBeUndefined();
    const complaints = (await deps.notices.list(cohortId)).filter((n) => n.kind === 'complaint');
    expect(complaints.map((n) => n.message)).toEqual([expect.stringContaining(amara)]);
  });

  it('a transient bounce and a delivery delay change nothing', async () => {
    const records = [
      documentedEvent('transient-bounce.json', await fill(kenji)),
      documentedEvent('delivery-delay.json', await fill(kenji)),
    ];
    expect((await handle(records)).batchItemFailures).toEqual([]);
    const kenjiNow = await participant(cohortId, kenji);
    expect(kenjiNow?.undeliverableAt).toBeUndefined();
    expect(kenjiNow?.unsubscribedAt).toBeUndefined();
  });
});

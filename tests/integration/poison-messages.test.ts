import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReceiveDeps, receiveReply } from '../../shared/use-cases/receive-reply.ts';
import { replyAddressOf } from '../../shared/use-cases/reply-address.ts';
import { seedCohort } from '../support/cohort-fixture.ts';
import { authenticated, rawMessage, receiveDeps } from '../support/inbound-mail.ts';
import { createTestTable, fixedClock } from '../support/local-table.ts';

/**
 * Messages that used to fail forever (and so end in the inbound function's dead-letter queue):
 * a chatty pair whose answer item outgrew DynamoDB's 400 KB, a Message-ID longer than a sort
 * key's 1 KB. Each must be taken in like any other message.
 */
const cohortId = 'poison-test';
const tom = 'tom@poison.example';
const amara = 'amara@poison.example';

/** Prose as a person writes it, a long way: about `bytes` of it. */
function longProse(bytes: number, seed: number): string {
  const sentences = [
    'We met on Thursday and talked through the data pipeline at work for a long while.',
    'I still find the orchestration part hard, but the idea of small idempotent steps helped.',
    'Next time I want to show you the dashboard I built, and ask about moving teams.',
    'Thank you for the book tip — I read the first three chapters already.',
  ];
  const lines: string[] = [];
  let size = 0;
  for (let i = seed; size < bytes; i++) {
    const line = `${sentences[i % sentences.length]} (${i})`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
}

describe('poison messages: a chatty pair, a long Message-ID', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let deps: ReceiveDeps;
  const clock = fixedClock('2027-02-16T10:00:00Z');

  beforeAll(async () => {
    table = await createTestTable();
    deps = receiveDeps(table, clock);
    await seedCohort(deps, {
      id: cohortId,
      people: [
        { name: 'Tom Hughes', email: tom, role: 'mentee' },
        { name: 'Amara Okafor', email: amara, role: 'mentor' },
      ],
      pairs: [[tom, amara]],
    });
    await deps.store.updateCohort(cohortId, { phase: 'running' });
  });
  afterAll(() => table.drop());

  const receive = async (messageId: string, body: string, n: number) => {
    const { address } = await replyAddressOf(cohortId, tom, 1, deps);
    return receiveReply(
      {
        sesMessageId: `ses-poison-${n}`,
        raw: rawMessage({ from: `Tom Hughes <${tom}>`, to: address, messageId, body }),
        envelopeRecipients: [address],
        verdicts: authenticated,
        mailFrom: tom,
        receivedAt: new Date(Date.parse('2027-02-16T10:00:00Z') + n * 60_000),
      },
      deps,
    );
  };

  it('takes in reply after long reply to one round: none fails, the answer stays readable', async () => {
    const outcomes: string[] = [];
    for (let n = 0; n < 14; n++) {
      const result = await receive(`<chatty-${n}@mail.poison.example>`, longProse(60_000, n), n);
      outcomes.push(result.outcome);
    }
    expect(outcomes).toEqual(['recorded', ...Array.from({ length: 13 }, () => 'updated')]);
    const participant = await deps.store.getParticipant(cohortId, tom);
    const answer = await deps.answers.getAnswer(cohortId, 1, participant?.participantId ?? '');
    // Every reply is listed; the first ones keep their words.
    expect(answer?.replies).toHaveLength(14);
    expect(answer?.replies[0]?.text).toContain('We met on Thursday');
    // The same message again is still a duplicate, not a new reply.
    const again = await receive('<chatty-3@mail.poison.example>', longProse(60_000, 3), 3);
    expect(again.outcome).toBe('duplicate');
  });

  it('takes in a message whose Message-ID is longer than a sort key may be', async () => {
    const messageId = `<${'x'.repeat(1500)}@mail.poison.example>`;
    const result = await receive(messageId, 'Yes we met. Topics: career change. Rating 5', 100);
    expect(result.outcome).toMatch(/^(recorded|updated)$/);
    expect((await receive(messageId, 'Yes we met. Topics: career change. Rating 5', 100)).outcome).toBe(
      'duplicate',
    );
  });
});

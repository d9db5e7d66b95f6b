import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReply } from '../../local/simulation/reply-writer.ts';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.ts';
import { cohortCalendar } from '../../shared/program/calendar.ts';
import type { CohortReportData } from '../../shared/report/cohort-report.ts';
import { buildCohortReport } from '../../shared/use-cases/cohort-report.ts';
import { loadCohort } from '../../shared/use-cases/load-cohort.ts';
import { describeLink } from '../../shared/use-cases/participant-links.ts';
import { forgetPerson, forgottenName } from '../../shared/use-cases/personal-data.ts';
import { receiveReply } from '../../shared/use-cases/receive-reply.ts';
import { approveCohort } from '../../shared/workflow/matching-steps.ts';
import { restartWorkflow } from '../../shared/workflow/schedule-commands.ts';
import { type SeedPerson, seedCohort } from '../support/cohort-fixture.ts';
import { type CapturedEmail, capturedEmails } from '../support/mail-deps.ts';
import { scanTable } from '../support/report-oracle.ts';
import { passingVerdicts } from '../support/verdicts.ts';
import { kindOf, roundOf, startWorkflowHarness } from '../support/workflow-harness.ts';

/**
 * Personal data leaves: a closed cohort's, by the workflow's last step once its retention
 * period ends, and one person's, on request. Each time, every attribute of every item in the
 * table is searched for what the people gave or were given: their addresses, names, the words
 * they wrote, their link tokens and reply keys.
 */

const cast = (domain: string): (SeedPerson & { word: string })[] => [
  { name: 'Amara Okafor', email: `amara@${domain}`, role: 'mentor', word: 'Quokkaform' },
  { name: 'Lukas Becker', email: `lukas@${domain}`, role: 'mentor', word: 'Zanzibrite' },
  { name: 'Tomasz Hughes', email: `tomasz@${domain}`, role: 'mentee', word: 'Marmalith' },
  { name: 'Kenji Sato', email: `kenji@${domain}`, role: 'mentee', word: 'Obsidrun' },
  { name: 'Ana Silva', email: `ana@${domain}`, role: 'mentee', word: 'Pelicorn' },
];

describe('retention and erasure, on the local runner', () => {
  let h: Awaited<ReturnType<typeof startWorkflowHarness>>;
  const db = () => createDocumentClient();
  const allItems = () => scanTable(db(), process.env.TABLE_NAME ?? '');
  let deliveries = 0;

  beforeAll(async () => {
    h = await startWorkflowHarness();
  });
  afterAll(() => h.stop());

  /** A participant answers the latest email that asked them to, in their own words. */
  const answer = async (person: { name: string; email: string }, body: string) => {
    const email = (await capturedEmails([person.email])).filter((e) => e.replyTo[0]).at(-1);
    if (!email) throw new Error(`nothing to answer for ${person.email}`);
    return replyTo(email, person, body);
  };
  const replyTo = async (email: CapturedEmail, person: { name: string; email: string }, body: string) => {
    const to = email.replyTo[0] ?? '';
    const raw = await writeReply({
      from: person,
      to,
      original: { subject: email.subject, text: email.body.text ?? '', from: email.from, date: new Date() },
      body,
      client: 'gmail',
      date: new Date(),
    });
    return receiveReply(
      {
        sesMessageId: `retention-${++deliveries}`,
        raw,
        envelopeRecipients: [to],
        verdicts: passingVerdicts,
        receivedAt: new Date(),
      },
      h.deps,
    );
  };

  /** Every string someone could look for: who they are, what they wrote, what let them in. */
  const personalStrings = async (cohortId: string, people: ReturnType<typeof cast>) => {
    const emails = new Set(people.map((p) => p.email));
    const participants = (await h.deps.store.listParticipants(cohortId)).filter((p) => emails.has(p.email));
    const replyKeys = (await capturedEmails(people.map((p) => p.email)))
      .flatMap((e) => e.replyTo)
      .map((address) => /^reply\+([a-z2-7]+)@/.exec(address)?.[1])
      .filter((key): key is string => Boolean(key));
    expect(replyKeys.length).toBeGreaterThan(0);
    return [
      ...people.flatMap((p) => [p.email, p.name, p.word]),
      ...participants.flatMap((p) => [p.linkToken, p.participantId]),
      ...new Set(replyKeys),
    ];
  };

  /** Each item of the table as text (an archive decompressed), and the strings found in it. */
  const findings = (items: Record<string, unknown>[], strings: string[]) => {
    const texts = items.map((item) =>
      item.type === 'archive'
        ? gunzipSync(Buffer.from(item.data as Uint8Array)).toString('utf8')
        : JSON.stringify(item),
    );
    return strings.flatMap((needle) =>
      texts
        .filter((text) => text.toLowerCase().includes(needle.toLowerCase()))
        .map((text) => `${needle} in ${text.slice(0, 160)}`),
    );
  };

  it('purges a closed cohort’s personal data when its retention period ends, keeping the report without names', async () => {
    const people = cast('retention.example');
    const c = await h.cohort({ id: 'retention', people, programYaml: 'retentionDays: 30' });
    const { program } = await loadCohort(h.deps.store, c.cohortId);
    const calendar = cohortCalendar(program);
    c.world.at(h.day('2027-01-21T10:00'), async () => {
      await approveCohort(c.cohortId, 'latest', h.deps);
    });
    // Everyone answers every round the day after it opens, in words of their own.
    for (const round of calendar.rounds) {
      c.world.at(h.day(`${round.date}T16:00`), async () => {
        for (const person of people) {
          const body =
            person.name === 'Kenji Sato' && round.number === 2
              ? 'rematch'
              : person.role === 'mentee'
                ? `Yes\nSQL, career change\nwrite up the ${person.word} notes\n4`
                : `Yes, we met. ${person.word} is going well.`;
          await answer(person, body);
        }
      });
    }
    let before: CohortReportData | undefined;
    let strings: string[] = [];
    let linkToken = '';
    c.world.at(h.day(`${calendar.end}T20:00`), async () => {
      before = await buildCohortReport(c.cohortId, h.deps);
      linkToken = (await h.deps.store.getParticipant(c.cohortId, people[2]?.email ?? ''))?.linkToken ?? '';
      expect((await describeLink(linkToken, h.deps)).programName).toBe('Workflow Test');
      strings = await personalStrings(c.cohortId, people);
      // Until the purge, the cohort's data is all there.
      expect(findings(await allItems(), strings).length).toBeGreaterThan(0);
    });

    const execution = await h.settled(await c.start());
    expect(execution.status).toBe('SUCCEEDED');
    const cohort = await h.deps.store.getCohort(c.cohortId);
    // 30 days after the last day (31 March), at midnight in Berlin.
    expect(cohort?.purgedAt?.slice(0, 10)).toBe('2027-04-30');
    expect(findings(await allItems(), strings)).toEqual([]);

    // The report still works, without names, and its figures are those of the cohort.
    const after = await buildCohortReport(c.cohortId, h.deps);
    expect(before?.report.anonymized).toBe(false);
    expect(before?.report.overall.answered).toBeGreaterThan(10);
    expect(after.report).toMatchObject({ anonymized: true, purgedAt: cohort?.purgedAt });
    for (const field of [
      'rounds',
      'overall',
      'ratings',
      'nps',
      'ladder',
      'scores',
      'emails',
      'replies',
      'replyOutcomes',
      'participants',
      'pairs',
    ] as const) {
      expect(after.report[field], field).toEqual(before?.report[field]);
    }
    expect(after.pairs).toHaveLength(before?.pairs.length ?? -1);
    expect(after.report.topics).toEqual(before?.report.topics.filter((topic) => topic.people >= 3));
    expect(after.report.topics.length).toBeGreaterThan(0);

    // The organizers got the report the day the cohort closed, attached, with the purge date.
    const reports = (await c.emails()).filter((e) => kindOf(e) === 'organizer-report');
    expect(reports).toHaveLength(1);
    expect(reports[0]?.body.text).toContain('kept until **Friday 30 April 2027**');
    const attachment = (
      reports[0] as CapturedEmail & { attachments?: { filename: string; content: string }[] }
    ).attachments?.[0];
    expect(attachment?.filename).toBe('report.html');
    const page = Buffer.from(attachment?.content ?? '', 'base64').toString('utf8');
    expect(page).toContain('<h1>Workflow Test</h1>');
    expect(page).toContain('Net Promoter Score');

    // The links in old emails lead nowhere, and a reply to an old address finds nothing: the
    // link token and the reply key are gone.
    await expect(describeLink(linkToken, h.deps)).rejects.toThrow('This link is not valid');
    const old = (await capturedEmails([people[2]?.email ?? ''])).find((e) => kindOf(e) === 'check-in');
    expect(
      await replyTo(old as CapturedEmail, people[2] as SeedPerson, 'Are you still there?'),
    ).toMatchObject({
      outcome: 'unknown_key',
    });

    // A restart of the closed, purged cohort goes straight to its last steps and changes nothing.
    const copies = await c.copies();
    const restarted = await restartWorkflow(c.cohortId, h.deps);
    expect(restarted.message).toContain('purged');
    expect((await h.settled(restarted.executionName)).status).toBe('SUCCEEDED');
    expect(await c.copies()).toEqual(copies);
    expect(findings(await allItems(), strings)).toEqual([]);
  });

  it('forgets one person on request, in every cohort: their data goes, their partner’s stays, no more mail', async () => {
    const people = cast('forget.example');
    const [amara, , tomasz] = people as [SeedPerson, SeedPerson, SeedPerson & { word: string }];
    const c = await h.cohort({ id: 'forget', people, programYaml: 'retentionDays: 730' });
    // Tomasz is in another cohort too, paired with someone else.
    const other = await seedCohort(h.deps, {
      id: 'forget-other',
      people: [
        { name: tomasz.name, email: tomasz.email, role: 'mentee' },
        { name: 'Ines Duarte', email: 'ines@forget.example', role: 'mentor' },
      ],
      pairs: [[tomasz.email, 'ines@forget.example']],
    });
    c.world.at(h.day('2027-01-21T10:00'), async () => {
      await approveCohort(c.cohortId, 'latest', h.deps);
    });
    c.world.at(h.day('2027-02-16T12:00'), async () => {
      for (const person of people) await answer(person, `Yes, we met: the ${person.word} plan. 4`);
    });
    let strings: string[] = [];
    let mailBefore = 0;
    let items: Record<string, unknown>[] = [];
    let result: Awaited<ReturnType<typeof forgetPerson>> | undefined;
    c.world.at(h.day('2027-02-18T12:00'), async () => {
      strings = [
        tomasz.email,
        tomasz.name,
        tomasz.word,
        ...(await personalStrings(c.cohortId, [tomasz])),
        (await h.deps.store.getParticipant(other.id, tomasz.email))?.linkToken ?? '',
      ];
      result = await forgetPerson(` ${tomasz.email.toUpperCase()} `, h.deps);
      mailBefore = (await capturedEmails([tomasz.email])).length;
      items = await allItems();
      // He writes again to an old address: the reply key is gone, and the polite answer to an
      // unknown address is not sent to a forgotten one.
      const old = (await capturedEmails([tomasz.email])).find((e) => kindOf(e) === 'check-in');
      expect(await replyTo(old as CapturedEmail, tomasz, 'Hello?')).toMatchObject({ outcome: 'unknown_key' });
    });
    // The run goes on to the end (no purge: the retention period is two years).
    c.world.at(h.day('2027-05-01T12:00'), () => h.workflow.stopAll());
    await h.settled(await c.start());

    expect(result?.cohorts.map((x) => x.cohortId).sort()).toEqual(['forget', 'forget-other']);
    expect(result?.cohorts.every((x) => x.pairsEnded === 1 && x.deleted > 0)).toBe(true);
    expect(findings(items, strings)).toEqual([]);
    // Nothing more reached him, though the cohort went on for weeks.
    expect((await capturedEmails([tomasz.email])).length).toBe(mailBefore);
    expect((await c.emails()).some((e) => roundOf(e) > 1 && kindOf(e) === 'check-in')).toBe(true);
    // Only a hash of his address is kept, on the suppression list.
    expect(items.filter((item) => item.type === 'suppression')).toHaveLength(1);

    // His partner's data stays: her answers, and the pair, which names him no more.
    const pairs = await h.deps.pairs.listPairs(c.cohortId);
    const ended = pairs.find((p) => p.status === 'ended');
    expect(ended?.endReason).toBe('a participant asked to be forgotten');
    expect(ended?.menteeEmail).toMatch(/^erased-[0-9a-f]{12}@erased\.invalid$/);
    const partner = ended?.mentorEmail ?? '';
    expect(partner).not.toBe('');
    const partnerRecord = await h.deps.store.getParticipant(c.cohortId, partner);
    expect(partnerRecord).toBeDefined();
    const partnerAnswer = await h.deps.answers.getAnswer(c.cohortId, 1, partnerRecord?.participantId ?? '');
    expect(partnerAnswer?.replies[0]?.text).toContain('plan');
    expect(await h.deps.store.getParticipant(c.cohortId, amara.email)).toBeDefined();
    const notices = await h.deps.notices.list(c.cohortId);
    expect(notices.find((n) => n.kind === 'erasure')?.message).toMatch(/^A mentee asked to be forgotten/);
    expect(JSON.stringify(notices)).not.toContain(forgottenName.repeat(2));
  });
});

import { gunzipSync } from 'node:zlib';
import { MessageRejected } from '@aws-sdk/client-sesv2';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.ts';
import { keys } from '../../shared/adapters/dynamodb/table-design.ts';
import type { Mailer } from '../../shared/ports.ts';
import { cohortCalendar } from '../../shared/program/calendar.ts';
import type { CohortReportData } from '../../shared/report/cohort-report.ts';
import { buildCohortReport } from '../../shared/use-cases/cohort-report.ts';
import { loadCohort } from '../../shared/use-cases/load-cohort.ts';
import { pairMessages } from '../../shared/use-cases/pair-messages.ts';
import { confirmApplication, describeLink } from '../../shared/use-cases/participant-links.ts';
import { forgetPerson, forgottenName } from '../../shared/use-cases/personal-data.ts';
import { sendToParticipants } from '../../shared/use-cases/send-emails.ts';
import { submitApplication } from '../../shared/use-cases/submit-application.ts';
import { approveCohort } from '../../shared/workflow/matching-steps.ts';
import { restartWorkflow } from '../../shared/workflow/schedule-commands.ts';
import { type SeedPerson, seedCohort } from '../support/cohort-fixture.ts';
import { replyToEmail } from '../support/inbound-mail.ts';
import { type CapturedEmail, capturedEmails } from '../support/mail-deps.ts';
import { scanTable } from '../support/report-oracle.ts';
import { kindOf, roundOf, startWorkflowHarness } from '../support/workflow-harness.ts';

/**
 * Personal data leaves: a closed cohort's, by the workflow's last step once its retention
 * period ends, and one person's, on request. Each time, every attribute of every item in the
 * table is searched for what the people gave or were given: their addresses, names, the words
 * they wrote, their link tokens and reply keys. The runs hold every kind of item that names
 * someone: changes to applications made on the form (with links and reply keys of their own),
 * applicants who never confirmed, dead letters with the copies kept for `tandem resend`.
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

  /** An application on the public form, as a seeded person's reads (a change where `changes` say). */
  const formApplication = (person: SeedPerson, changes: Record<string, unknown> = {}) => ({
    email: person.email,
    name: person.name,
    role: person.role,
    years_experience: person.role === 'mentor' ? 8 : 2,
    topics: 'data engineering; career change',
    timezone: 'Europe/Berlin',
    languages: 'English',
    consent: true,
    ...changes,
  });

  /**
   * What happens on the form while intake is open (the harness's cohorts start after it): the
   * clock goes back to intake for `act`, and forward again to where the run starts.
   */
  const duringIntake = async (act: () => Promise<void>) => {
    h.clock.setTo(new Date('2027-01-12T10:00:00Z'));
    await act();
    h.clock.setTo(new Date('2027-01-20T08:00:00Z'));
  };

  /** The token of the confirmation link in the email about a change to someone's application. */
  const changeLinkOf = async (email: string) => {
    const change = (await capturedEmails([email])).find((e) => kindOf(e) === 'application-change');
    const token = /\/confirm\/([a-z2-7]{22})/.exec(change?.body.text ?? '')?.[1];
    if (!token) throw new Error(`no change email for ${email}`);
    return token;
  };

  /** SES rejects a message to this person (their round's nudge): a dead letter, with its copy kept. */
  const deadLetter = async (cohortId: string, person: SeedPerson, round: number) => {
    const rejecting: Mailer = {
      send: async () => {
        throw new MessageRejected({ message: 'Email address is not verified.', $metadata: {} });
      },
    };
    const cohort = await loadCohort(h.deps.store, cohortId);
    const rounds = cohortCalendar(cohort.program, cohort.schedule).rounds;
    const calendarRound = rounds[round - 1];
    const { messages } = pairMessages(
      await h.deps.pairs.listPairs(cohortId),
      await h.deps.store.listParticipants(cohortId),
      {
        kind: 'nudge',
        round,
        day: calendarRound?.nudgeDate ?? '',
        include: (participant) => participant.email === person.email,
        context: () => ({ round: { number: round, total: rounds.length, isFirst: round === 1 } }),
      },
    );
    const summary = await sendToParticipants(cohort, messages, { ...h.deps, mailer: rejecting });
    expect(summary['dead-lettered']).toBe(1);
  };

  const unconfirmedCount = async (cohortId: string) =>
    (
      await db().send(
        new GetCommand({
          TableName: process.env.TABLE_NAME,
          Key: keys.intakeCounts(cohortId),
          ConsistentRead: true,
        }),
      )
    ).Item?.unconfirmed;

  /** A participant answers the latest email that asked them to, in their own words. */
  const answer = async (person: { name: string; email: string }, body: string) => {
    const email = (await capturedEmails([person.email])).filter((e) => e.replyTo[0]).at(-1);
    if (!email) throw new Error(`nothing to answer for ${person.email}`);
    return replyTo(email, person, body);
  };
  const replyTo = (email: CapturedEmail, person: { name: string; email: string }, body: string) =>
    replyToEmail(email, person, body, h.deps, { sesMessageId: `retention-${++deliveries}` });

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
    const [lukas, ana] = [people[1], people[4]] as [SeedPerson, SeedPerson];
    const stranger = {
      name: 'Zora Quillfeather',
      email: 'zora@retention.example',
      role: 'mentee' as const,
      word: 'Quillfeather',
    };
    const c = await h.cohort({ id: 'retention', people, programYaml: 'retentionDays: 30' });
    const { program } = await loadCohort(h.deps.store, c.cohortId);
    const calendar = cohortCalendar(program);
    let changeLink = '';
    await duringIntake(async () => {
      // Ana changes her application on the form and confirms the change by its link: the link's
      // item outlives the change, with no pointer to it.
      await submitApplication(c.cohortId, formApplication(ana, { organization: 'Pelicorn Labs' }), h.deps);
      changeLink = await changeLinkOf(ana.email);
      expect((await confirmApplication(changeLink, h.deps)).change).toBe('applied');
      // Someone applies on the form and never confirms.
      await submitApplication(c.cohortId, formApplication(stranger), h.deps);
      expect(await unconfirmedCount(c.cohortId)).toBe(1);
    });
    // SES rejects Lukas's first nudge: a dead letter, and its copy for `tandem resend`.
    c.world.at(h.day(`${calendar.rounds[0]?.date}T12:00`), () => deadLetter(c.cohortId, lukas, 1));
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
      strings = [...(await personalStrings(c.cohortId, [...people, stranger])), changeLink];
      // Until the purge, the cohort's data is all there, the items the form and SES left included.
      const items = await allItems();
      expect(findings(items, strings).length).toBeGreaterThan(0);
      expect(items.filter((item) => item.type === 'resend-copy')).toHaveLength(1);
      expect(items.filter((item) => item.type === 'link' && item.change !== undefined)).toHaveLength(1);
      expect(items.filter((item) => String(item.sk).includes('#CHANGE#'))).toHaveLength(1);
      expect(items.find((item) => item.sk === 'INTAKE_COUNTS')?.unconfirmed).toBe(1);
    });
    // Once the cohort closed, its reply keys expire (30 days on): the purge deletes them all the same.
    c.world.at(h.day(`${calendar.end}T20:00`) + 10 * 86_400_000, async () => {
      const keysLeft = (await allItems()).filter((item) => item.type === 'reply-key');
      expect(keysLeft.length).toBeGreaterThan(0);
      expect(keysLeft.every((item) => typeof item.expiresAt === 'number')).toBe(true);
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
    const strangers = [
      {
        name: 'Zora Quillfeather',
        email: 'zora@forget.example',
        role: 'mentee' as const,
        word: 'Quillfeather',
      },
      {
        name: 'Yusuf Brambleton',
        email: 'yusuf@forget.example',
        role: 'mentee' as const,
        word: 'Brambleton',
      },
    ];
    let strangerStrings: string[] = [];
    await duringIntake(async () => {
      // Tomasz changes his application on the form, and has not confirmed the change yet.
      await submitApplication(c.cohortId, formApplication(tomasz, { organization: 'Marmalith Ltd' }), h.deps);
      // Two people apply on the form and never confirm; one of them asks to be forgotten (and,
      // unsure it worked, asks again): their place among the unconfirmed is freed once.
      for (const stranger of strangers)
        await submitApplication(c.cohortId, formApplication(stranger), h.deps);
      expect(await unconfirmedCount(c.cohortId)).toBe(2);
      strangerStrings = await personalStrings(c.cohortId, strangers.slice(0, 1));
      await forgetPerson(strangers[0]?.email ?? '', h.deps);
      await forgetPerson(strangers[0]?.email ?? '', h.deps);
      expect(await unconfirmedCount(c.cohortId)).toBe(1);
      expect(findings(await allItems(), strangerStrings)).toEqual([]);
    });
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
    // SES rejects his first nudge: a dead letter, and its copy for `tandem resend`.
    c.world.at(h.day('2027-02-16T10:00'), () => deadLetter(c.cohortId, tomasz, 1));
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
        await changeLinkOf(tomasz.email),
        ...strangerStrings,
      ];
      const before = await allItems();
      const his = (await h.deps.store.getParticipant(c.cohortId, tomasz.email))?.participantId;
      expect(before.filter((item) => String(item.sk).startsWith(`RESEND#${his}#`))).toHaveLength(1);
      expect(before.filter((item) => String(item.sk).startsWith(`REPLYTO#${his}#000#CHANGE#`))).toHaveLength(
        1,
      );
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
    // Only hashes of the forgotten addresses are kept, on the suppression list.
    expect(items.filter((item) => item.type === 'suppression')).toHaveLength(2);
    // He was confirmed: forgetting him left the count of unconfirmed applicants as it was.
    expect(await unconfirmedCount(c.cohortId)).toBe(1);

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

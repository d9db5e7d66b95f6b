import type { Cohort } from '../cohorts/cohort.ts';
import type { DigestItemReason } from '../cohorts/digest-items.ts';
import { composeEmail, dateLabel, type EmailSettings, type Recipient } from '../email/compose-email.ts';
import { firstName } from '../email/email-address.ts';
import { kindTraits, type MessageKind } from '../email/message-kinds.ts';
import type { OutboundEmail } from '../email/outbound-email.ts';
import { cohortCalendar, localMorning, noScheduleChanges } from '../program/calendar.ts';
import type { Program } from '../program/program-schema.ts';
import { engagementOf } from '../program/program-schema.ts';
import { cohortIdOf } from './launch-cohort.ts';
import { sendHour } from './pair-messages.ts';
import { keptUntil } from './personal-data.ts';
import type { RoundDigest } from './send-digest.ts';

export interface PreviewEntry {
  date: string;
  sendAt: Date;
  audience: 'mentor' | 'mentee' | 'organizer';
  kind: MessageKind;
  round: number;
  /** What makes the email go out, when it is not the calendar. */
  trigger?: string;
  email: OutboundEmail;
}

const sampleMentee = { name: 'Sam Rivera', email: 'sam.rivera@example.com', organization: 'Proseware' };
const sampleMentor = { name: 'Alex Morgan', email: 'alex.morgan@example.com', organization: 'Contoso' };
const sampleTopics = ['career change', 'SQL'];
const sampleActionItems = ['Draft a six-month learning plan', 'Ask my manager about the data team rotation'];

/**
 * Every email the program would send to a sample mentor, a sample mentee and the organizers,
 * over the whole timeline, rendered exactly as they will be sent. Offline: nothing is stored.
 */
export function previewProgram(program: Program): PreviewEntry[] {
  const cohort: Pick<Cohort, 'id' | 'program'> = { id: cohortIdOf(program), program };
  const calendar = cohortCalendar(program);
  const domain = program.sender.address.split('@')[1] ?? 'example.org';
  const settings: EmailSettings = {
    inboundDomain: `reply.${domain}`,
    publicUrl: 'https://tandem.example.org',
    fallbackSender: `tandem@${domain}`,
  };
  const people = {
    mentee: { ...sampleMentee, recipientId: 'sample-mentee', partner: sampleMentor },
    mentor: { ...sampleMentor, recipientId: 'sample-mentor', partner: sampleMentee },
  };
  const entries: PreviewEntry[] = [];

  const add = (
    date: string,
    audience: PreviewEntry['audience'],
    kind: MessageKind,
    round: number,
    context: Record<string, unknown>,
    trigger?: string,
  ) => {
    const person = audience === 'organizer' ? undefined : people[audience];
    const organizer = program.organizers[0];
    const recipient: Recipient = person
      ? {
          recipientId: person.recipientId,
          name: person.name,
          email: person.email,
          audience,
          linkToken: 'samplelinktoken',
        }
      : {
          recipientId: 'organizer-1',
          name: organizer?.name ?? 'Organizer',
          email: organizer?.email ?? '',
          audience,
        };
    const partner = person?.partner;
    const reasons = ['both: career change, SQL', 'mentor 4 years ahead', '8 h working-hours overlap'];
    const partnerContext = partner && {
      ...partner,
      firstName: firstName(partner.name),
      timezone: program.timezone,
      topics: sampleTopics,
      reasons,
    };
    const email = composeEmail(
      {
        cohort,
        kind,
        round,
        recipient,
        thread: person ? 'pair-sample' : `organizers-${kind}`,
        ...(kindTraits[kind].expectsReply
          ? { replyKey: `sample${kind.replace(/[^a-z]/g, '').slice(0, 6)}${round}` }
          : {}),
        context: {
          ...(partnerContext
            ? {
                partner: partnerContext,
                partners: [partnerContext],
                partnerNames: partnerContext.name,
                partnerFirstNames: partnerContext.firstName,
                pair: {
                  reasons,
                  sharedTopics: sampleTopics,
                  score: 82,
                },
              }
            : {}),
          ...context,
        },
      },
      settings,
    );
    const timezone = program.timezone;
    entries.push({
      date,
      sendAt: localMorning(date, timezone, sendHour),
      audience,
      kind,
      round,
      ...(trigger ? { trigger } : {}),
      email,
    });
  };
  const both = (
    date: string,
    kind: MessageKind,
    round: number,
    context: Record<string, unknown> = {},
    trigger?: string,
  ) => {
    add(date, 'mentee', kind, round, context, trigger);
    add(date, 'mentor', kind, round, context, trigger);
  };

  both(calendar.intakeOpens, 'application-received', 0, {}, 'when someone applies');
  add(
    calendar.intakeOpens,
    'mentee',
    'application-change',
    1,
    {
      change: {
        name: 'Sam Rivera',
        role: 'mentee',
        years: 2,
        topics: sampleTopics.join(', '),
        languages: 'English',
        timezone: program.timezone,
      },
      links: { change: `${settings.publicUrl}/confirm/samplechangetoken` },
    },
    'when someone applies again with the same address: the change waits for this confirmation',
  );
  add(calendar.intakeCloses, 'organizer', 'approval-request', 0, { approval: { matched: 24, unmatched: 2 } });
  both(calendar.introductions, 'match-announcement', 0);
  const total = calendar.rounds.length;
  for (const round of calendar.rounds) {
    const roundContext = { number: round.number, total, isFirst: round.number === 1 };
    both(round.date, round.kind, round.number, {
      round: roundContext,
      previousActionItems: round.number > 1 ? sampleActionItems : [],
    });
    both(
      round.nudgeDate,
      'nudge',
      round.number,
      { round: roundContext },
      'only to those who have not answered',
    );
    const digest: RoundDigest = {
      round: round.number,
      totalRounds: total,
      isMidpoint: round.number === calendar.midpointRound,
      sent: 52,
      answered: 41,
      pairs: 26,
      pairsMet: 19,
      groups: round.number === calendar.midpointRound ? sampleReviewGroups : sampleDigestGroups,
      proposals: [{ mentee: 'Robin Diaz', mentor: 'Kim Park', score: 68.5, round: round.number + 1 }],
      notices: ['Mail to jo@example.net bounces permanently: Tandem stopped emailing this address.'],
    };
    add(round.closesOn, 'organizer', 'organizer-digest', round.number, { digest });
  }
  const midpoint = calendar.rounds.find((r) => r.number === calendar.midpointRound) ?? calendar.rounds[0];
  if (midpoint) {
    for (const [kind, word] of [
      ['pause-confirmation', 'pause'],
      ['rematch-confirmation', 'rematch'],
      ['exit-confirmation', 'exit'],
    ] as const) {
      add(midpoint.date, 'mentee', kind, midpoint.number, {}, `when a participant replies "${word}"`);
    }
    add(
      midpoint.date,
      'organizer',
      'rematch-proposal',
      midpoint.number,
      {
        rematch: {
          proposals: [
            {
              menteeName: 'Sam Rivera',
              mentorName: 'Jordan Lee',
              score: 71.5,
              reasons: ['both: data engineering', 'mentor 4 years ahead'],
              round: midpoint.number + 1,
            },
          ],
        },
      },
      'when someone waits for a rematch and the program says `rematch: review`',
    );
    add(
      midpoint.nudgeDate,
      'mentee',
      'pair-nudge',
      midpoint.number,
      { round: { number: midpoint.number } },
      'when an organizer nudges the pair (`tandem nudge`, or `nudge N` in a reply to the digest)',
    );
    add(
      midpoint.closesOn,
      'mentee',
      'midpoint-thanks',
      midpoint.number,
      {},
      'when an organizer ends the pair from the mid-point review (`close N`): thanks to both, no blame',
    );
    add(
      midpoint.closesOn,
      'organizer',
      'organizer-confirmation',
      midpoint.number,
      {
        confirmation: {
          done: ['close 2: ended Lee Chen & Jo Smith at the mid-point, with a thank-you to both'],
          notDone: ['nudge 7: this digest has no item 7'],
          notUnderstood: ['thanks!'],
        },
      },
      'when an organizer replies to the digest with commands',
    );
    add(
      midpoint.date,
      'mentee',
      'rematch-unplaceable',
      midpoint.number,
      {},
      'when nobody with a free place can take a mentee waiting for a rematch',
    );
    for (const [kind, word] of [
      ['exit-request', 'exit'],
      ['unsubscribe-request', 'unsubscribe'],
    ] as const) {
      add(
        midpoint.date,
        'mentee',
        kind,
        midpoint.number,
        {},
        `when "${word}" comes from an address Tandem cannot verify: a link confirms it`,
      );
    }
  }
  // The engagement ladder, on the rounds its default thresholds would reach for a pair silent from the start.
  const engagement = engagementOf(program);
  const ladderRound = (after: number) => calendar.rounds[after - 1];
  const ladder = (
    after: number,
    audience: 'mentee' | 'mentor',
    kind: MessageKind,
    trigger: string,
    leftBehind = false,
  ) => {
    const round = ladderRound(after);
    if (round && after < total)
      add(round.closesOn, audience, kind, round.number, { ladder: { checkIns: after, leftBehind } }, trigger);
  };
  ladder(
    engagement.askPartnerAfter,
    'mentee',
    'partner-check',
    `to the side that answers, after ${engagement.askPartnerAfter} check-ins with no meeting and no answer from the other`,
  );
  ladder(
    engagement.closeOfferAfter,
    'mentor',
    'close-offer',
    `to the silent side, after ${engagement.closeOfferAfter} check-ins with no meeting`,
  );
  ladder(
    engagement.closeAfter,
    'mentee',
    'pair-closed',
    'to the partner left behind, when the ladder closes the pair',
    true,
  );
  ladder(
    engagement.closeAfter,
    'mentor',
    'pair-closed',
    'to the silent side, when the ladder closes the pair',
  );
  add(
    calendar.introductions,
    'organizer',
    'organizer-alert',
    0,
    { alert: { step: 'StartPairs', error: 'Rate exceeded (SES sending quota)' } },
    'only if a workflow step fails after its retries',
  );
  both(calendar.end, 'thank-you', total + 1);
  add(calendar.end, 'organizer', 'organizer-report', 0, {
    report: {
      participants: 60,
      pairs: 26,
      responseRate: '74%',
      meetingRate: '68%',
      nps: '42 (38 answers: 21 promoters, 12 passives, 5 detractors)',
      rematches: 2,
      exits: 3,
      keptUntil: dateLabel(keptUntil({ program, schedule: noScheduleChanges })),
      retentionDays: program.retentionDays,
    },
  });
  return entries.sort((a, b) => a.sendAt.getTime() - b.sendAt.getTime() || a.kind.localeCompare(b.kind));
}

const sampleItem = (number: number, reason: DigestItemReason, title: string, evidence: string) => ({
  number,
  reason,
  title,
  evidence,
  commands: ['nudge', 'close', 'rematch'].map((verb) => `${verb} ${number}`),
});

const sampleDigestGroups: RoundDigest['groups'] = [
  {
    reason: 'at-risk',
    heading: 'Pairs at risk (the engagement ladder)',
    items: [
      sampleItem(
        1,
        'at-risk',
        'Sam Rivera & Alex Morgan',
        'no meeting reported in 3 check-ins, and no answer from the mentor (Alex Morgan). Suggested: a personal note to the mentor often helps, or close the pair now.',
      ),
    ],
  },
];

const sampleReviewGroups: RoundDigest['groups'] = [
  {
    reason: 'silent',
    heading: 'Silent: no answer to the mid-point survey',
    items: [
      sampleItem(1, 'silent', 'Sam Rivera & Alex Morgan', 'neither side answered the mid-point survey'),
    ],
  },
  {
    reason: 'low-usefulness',
    heading: 'Low usefulness: rated 2 or less out of 5',
    items: [
      sampleItem(
        2,
        'low-usefulness',
        'Lee Chen & Jo Smith',
        'Lee Chen rated it 2/5 — "more time on interview practice"',
      ),
    ],
  },
];

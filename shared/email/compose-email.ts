import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Cohort } from '../cohorts/cohort.ts';
import { cohortCalendar } from '../program/calendar.ts';
import type { Program } from '../program/program-schema.ts';
import { defaultTemplates, type TemplateId } from './default-templates.ts';
import { firstName } from './email-address.ts';
import { type Audience, kindTraits, type MessageKind } from './message-kinds.ts';
import { ledgerHeader, ledgerId, type OutboundEmail } from './outbound-email.ts';
import { type EmailContext, renderEmail } from './render-email.ts';

/** Where replies and links point: the inbound mail domain and the public HTTPS API. */
export interface EmailSettings {
  inboundDomain: string;
  publicUrl: string;
  /** Sends what belongs to no cohort (a reply to an unknown address): `tandem@<sender domain>`. */
  fallbackSender: string;
  /** Courtesy replies a day, all senders together (default 200). */
  courtesyRepliesPerDay?: number;
}

export interface Recipient {
  /** Participant id, or `organizer-<n>`. */
  recipientId: string;
  name: string;
  email: string;
  audience: Audience;
  /** The participant's link token, for confirm and unsubscribe links. */
  linkToken?: string;
}

export interface ComposeInput {
  cohort: Pick<Cohort, 'id' | 'program'> & Partial<Pick<Cohort, 'schedule'>>;
  kind: MessageKind;
  round: number;
  recipient: Recipient;
  /** Identifies the conversation the message belongs to, e.g. `pair-<id>`: one thread per pair. */
  thread: string;
  /** Required for kinds that expect a reply. */
  replyKey?: string;
  /** Kind-specific values: partner, pair, round, previousActionItems, digest, … */
  context?: Record<string, unknown>;
}

const participantFooter =
  'You receive this email because you applied to {{program.name}}. To stop all emails from this program: {{links.unsubscribe}}';

/**
 * Builds a ready-to-send email: rendered from the program's templates, with a reply address
 * for its round, one-click unsubscribe (RFC 8058), headers that keep auto-responders quiet,
 * and a References header that threads a pair's emails together (SES replaces Message-ID,
 * so threading uses Tandem's own ids).
 */
export function composeEmail(input: ComposeInput, settings: EmailSettings): OutboundEmail {
  const { cohort, kind, round, recipient } = input;
  const { program } = cohort;
  const traits = kindTraits[kind];
  const senderDomain = program.sender.address.split('@')[1] ?? 'localhost';
  const unsubscribeUrl = recipient.linkToken
    ? `${settings.publicUrl}/unsubscribe/${recipient.linkToken}`
    : undefined;
  // Links a message adds of its own (a change's confirmation) come with its context.
  const links: Record<string, string> = { ...(input.context?.links as Record<string, string> | undefined) };
  if (unsubscribeUrl) links.unsubscribe = unsubscribeUrl;
  if (recipient.linkToken) {
    links.confirm = `${settings.publicUrl}/confirm/${recipient.linkToken}`;
    links.exit = `${settings.publicUrl}/exit/${recipient.linkToken}`;
  }

  const context: EmailContext = {
    ...input.context,
    program: programContext(program),
    cohort: cohortContext(cohort),
    recipient: {
      name: recipient.name,
      firstName: firstName(recipient.name),
      email: recipient.email,
      role: recipient.audience,
      partnerRole: recipient.audience === 'mentor' ? 'mentee' : 'mentor',
    },
    links,
  };
  const rendered = renderEmail(templateFor(kind, recipient.audience), context, {
    tone: program.email.tone,
    overrides: program.email.templates,
    ...(traits.organizerOnly || !unsubscribeUrl ? {} : { footer: participantFooter }),
  });

  const ledger = { cohortId: cohort.id, recipientId: recipient.recipientId, kind, round };
  const threadId = `<${input.thread}.${cohort.id}@${senderDomain}>`;
  const headers = [
    { name: 'Auto-Submitted', value: 'auto-generated' },
    { name: 'X-Auto-Response-Suppress', value: 'All' },
    { name: 'List-Id', value: `<${cohort.id}.${senderDomain}>` },
    { name: 'References', value: threadId },
    { name: 'In-Reply-To', value: threadId },
    { name: ledgerHeader, value: ledgerId(ledger) },
  ];
  if (unsubscribeUrl && !traits.organizerOnly) {
    headers.push(
      {
        name: 'List-Unsubscribe',
        value: `<${unsubscribeUrl}>, <mailto:unsubscribe+${recipient.linkToken}@${settings.inboundDomain}?subject=unsubscribe>`,
      },
      { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
    );
  }
  if (traits.expectsReply && !input.replyKey) {
    throw new Error(`${kind} expects a reply: compose it with the recipient's reply key`);
  }
  return {
    ledger,
    from: { name: program.sender.name ?? program.name, email: program.sender.address },
    to: { name: recipient.name, email: recipient.email },
    ...(traits.expectsReply ? { replyTo: replyAddress(input.replyKey ?? '', settings.inboundDomain) } : {}),
    ...rendered,
    headers,
  };
}

export const replyAddress = (replyKey: string, inboundDomain: string) => `reply+${replyKey}@${inboundDomain}`;

/**
 * A polite one-off answer to someone whose email Tandem cannot take as a reply (an unknown or
 * expired address, a closed round or cohort). It never repeats what they wrote (their subject
 * included): whoever wrote it, Tandem's answer says nothing they chose.
 */
export function composeCourtesyReply(
  input: { cohort?: ComposeInput['cohort']; to: string; reason: string; day: number },
  settings: EmailSettings,
): OutboundEmail {
  const { cohort, to, reason, day } = input;
  const program = cohort
    ? programContext(cohort.program)
    : {
        name: 'Tandem',
        organizerName: 'Tandem',
        organizerEmail: settings.fallbackSender,
        signature: 'Tandem',
      };
  const rendered = renderEmail('courtesy-reply', { program, courtesy: { reason } });
  // No cohort's key: `_` is in no cohort id, so its SES events can never touch one.
  const ledger = {
    cohortId: cohort?.id ?? '_',
    recipientId: `sender-${createHash('sha256').update(to).digest('hex').slice(0, 16)}`,
    kind: 'courtesy-reply' as const,
    round: day,
  };
  return {
    ledger,
    from: cohort
      ? { name: cohort.program.sender.name ?? cohort.program.name, email: cohort.program.sender.address }
      : { name: 'Tandem', email: settings.fallbackSender },
    to: { name: '', email: to },
    ...rendered,
    headers: [
      { name: 'Auto-Submitted', value: 'auto-replied' },
      { name: 'X-Auto-Response-Suppress', value: 'All' },
      { name: ledgerHeader, value: ledgerId(ledger) },
    ],
  };
}

function templateFor(kind: MessageKind, audience: Audience): TemplateId {
  const specific = `${kind}.${audience}`;
  return (specific in defaultTemplates ? specific : kind) as TemplateId;
}

export function programContext(program: Program) {
  const organizer = program.organizers[0];
  return {
    name: program.name,
    organizerName: organizer?.name ?? program.name,
    organizerEmail: organizer?.email ?? program.sender.address,
    signature: program.email.signature ?? `${organizer?.name ?? 'The organizers'}, for ${program.name}`,
  };
}

const cadenceLabels = {
  weekly: { label: 'every week', noun: 'week' },
  biweekly: { label: 'every two weeks', noun: 'two weeks' },
  monthly: { label: 'once a month', noun: 'month' },
} as const;

export const dateLabel = (date: string) =>
  DateTime.fromISO(date).setLocale('en-GB').toFormat('cccc d LLLL yyyy');

/** A cohort's labels, worked out once per program object and schedule: Luxon formatting is slow. */
const cohortContexts = new WeakMap<Program, Map<string, ReturnType<typeof workOutCohortContext>>>();

function cohortContext(cohort: ComposeInput['cohort']) {
  let bySchedule = cohortContexts.get(cohort.program);
  if (!bySchedule) {
    bySchedule = new Map();
    cohortContexts.set(cohort.program, bySchedule);
  }
  const key = `${cohort.id}\u0000${JSON.stringify(cohort.schedule ?? null)}`;
  let context = bySchedule.get(key);
  if (!context) {
    context = workOutCohortContext(cohort);
    bySchedule.set(key, context);
  }
  return context;
}

function workOutCohortContext({ id, program, schedule }: ComposeInput['cohort']) {
  return {
    id,
    startLabel: dateLabel(program.start),
    endLabel: dateLabel(cohortCalendar(program, schedule).end),
    intakeClosesLabel: dateLabel(program.intake.closes),
    cadenceLabel: cadenceLabels[program.cadence].label,
    cadenceNoun: cadenceLabels[program.cadence].noun,
  };
}

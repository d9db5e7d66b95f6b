import type { Cohort, Participant } from '../cohorts/cohort.ts';
import { composeEmail, type EmailSettings } from '../email/compose-email.ts';
import { type Audience, kindTraits, type MessageKind } from '../email/message-kinds.ts';
import { type EmailAttachment, type LedgerKey, ledgerId } from '../email/outbound-email.ts';
import type {
  AnswerStore,
  CohortStore,
  PairStore,
  RateLimits,
  ReplyKeyStore,
  ReplyKeyTarget,
} from '../ports.ts';
import {
  type DeliveryDeps,
  type DeliveryOptions,
  type DeliveryOutcome,
  deliverEmail,
  deliverEmails,
} from './deliver-email.ts';

/** Everything a use case that emails people needs. */
export interface MailDeps extends DeliveryDeps {
  store: CohortStore;
  pairs: PairStore;
  answers: AnswerStore;
  replyKeys: ReplyKeyStore;
  settings: EmailSettings;
  delivery?: DeliveryOptions;
  /** Counters shared by every function: intake caps, courtesy replies. */
  limits: RateLimits;
}

export interface ParticipantMessage {
  participant: Participant;
  audience: Exclude<Audience, 'organizer'>;
  kind: MessageKind;
  round: number;
  /** Conversation id for threading, e.g. `pair-<id>` or `participant-<id>`. */
  thread: string;
  context?: Record<string, unknown>;
  /** Whom replies to this message concern, when not the participant's round (a change to confirm). */
  replyTarget?: Pick<ReplyKeyTarget, 'round' | 'change'>;
}

export type SendSummary = Record<DeliveryOutcome, number>;

export const emptySummary = (): SendSummary => ({
  sent: 0,
  'already-sent': 0,
  'in-flight': 0,
  suppressed: 0,
  deferred: 0,
  'dead-lettered': 0,
});

export function addSummaries(a: SendSummary, b: SendSummary): SendSummary {
  const total = emptySummary();
  for (const key of Object.keys(total) as DeliveryOutcome[]) total[key] = a[key] + b[key];
  return total;
}

/** The ledger key of a message to a participant. */
export const ledgerKeyOf = (cohort: Pick<Cohort, 'id'>, message: ParticipantMessage): LedgerKey => ({
  cohortId: cohort.id,
  recipientId: message.participant.participantId,
  kind: message.kind,
  round: message.round,
});

/** Sends in parallel up to this many; the throttled mailer keeps the rate under SES's limit. */
const defaultConcurrency = 16;

export async function sendToParticipants(
  cohort: Cohort,
  messages: ParticipantMessage[],
  deps: MailDeps,
  concurrency = defaultConcurrency,
): Promise<SendSummary> {
  const summary = emptySummary();
  // One batch read skips what went out already (a wave re-runs for each new morning, and after
  // a restart) without composing it or claiming it; the claim still decides for the rest.
  const keyOf = (message: ParticipantMessage) => ledgerKeyOf(cohort, message);
  const settled = await deps.ledger.settled(messages.map(keyOf));
  const pending = messages.filter((message) => !settled.has(ledgerId(keyOf(message))));
  summary['already-sent'] = messages.length - pending.length;
  const expectingReply = pending.filter((message) => kindTraits[message.kind].expectsReply);
  const replyKeys = await deps.replyKeys.replyKeysFor(
    expectingReply.map(({ participant, round, replyTarget }) => ({
      cohortId: cohort.id,
      participantId: participant.participantId,
      email: participant.email,
      round,
      ...replyTarget,
    })),
  );
  const replyKeyOf = new Map(expectingReply.map((message, index) => [message, replyKeys[index]]));
  const emails = pending.map((message) => {
    const { participant, audience, kind, round, thread, context } = message;
    const replyKey = replyKeyOf.get(message);
    const email = composeEmail(
      {
        cohort,
        kind,
        round,
        recipient: {
          recipientId: participant.participantId,
          name: participant.name,
          email: participant.email,
          audience,
          linkToken: participant.linkToken,
        },
        thread,
        ...(replyKey ? { replyKey } : {}),
        ...(context ? { context } : {}),
      },
      deps.settings,
    );
    return { email, participantEmail: participant.email };
  });
  for (const outcome of await deliverEmails(emails, deps, deps.delivery, concurrency)) summary[outcome]++;
  return summary;
}

/**
 * Emails every organizer of the program (digests, approval requests, the report), or only the
 * one at `only`. A kind that expects a reply (the digest) carries each organizer's own reply
 * address for the round, so their answer acts on the email it answers.
 */
export async function sendToOrganizers(
  cohort: Cohort,
  kind: MessageKind,
  round: number,
  context: Record<string, unknown>,
  deps: MailDeps,
  attachments: EmailAttachment[] = [],
  only?: string,
): Promise<SendSummary> {
  const summary = emptySummary();
  for (const [index, organizer] of cohort.program.organizers.entries()) {
    if (only !== undefined && organizer.email !== only) continue;
    const recipientId = `organizer-${index + 1}`;
    const replyKey = kindTraits[kind].expectsReply
      ? await deps.replyKeys.replyKeyFor({
          cohortId: cohort.id,
          participantId: recipientId,
          email: organizer.email,
          round,
        })
      : undefined;
    const email = composeEmail(
      {
        cohort,
        kind,
        round,
        recipient: { recipientId, name: organizer.name, email: organizer.email, audience: 'organizer' },
        thread: `organizers-${kind}`,
        ...(replyKey ? { replyKey } : {}),
        context,
      },
      deps.settings,
    );
    const withFiles = attachments.length ? { ...email, attachments } : email;
    summary[await deliverEmail(withFiles, undefined, deps, deps.delivery)]++;
  }
  return summary;
}

/** Organizers' reply keys name them `organizer-N`: never a participant's id. */
export const isOrganizerTarget = (target: Pick<ReplyKeyTarget, 'participantId'>) =>
  target.participantId.startsWith('organizer-');

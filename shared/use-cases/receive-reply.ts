import { createHash } from 'node:crypto';
import { type Cohort, isActive, isMailable, type Participant } from '../cohorts/cohort.ts';
import { composeCourtesyReply } from '../email/compose-email.ts';
import {
  authenticationVerdict,
  isAuthenticatedSender,
  type ReceiptVerdicts,
} from '../inbound/authentication-verdict.ts';
import { confirmsApplication } from '../inbound/participant-commands.ts';
import { isSameSender } from '../inbound/sender.ts';
import { readSurvey } from '../inbound/survey-answers.ts';
import { readReply, type UnderstoodReply } from '../inbound/understand-reply.ts';
import type {
  InboundLog,
  InboundOutcome,
  ReplyContext,
  ReplyContextReader,
  ReplyKeyTarget,
} from '../ports.ts';
import { cohortCalendar } from '../program/calendar.ts';
import { type OrganizerReplyDeps, receiveOrganizerReply } from './organizer-reply.ts';
import {
  askToConfirmByLink,
  exitParticipant,
  type MarkRequest,
  pauseParticipant,
  unsubscribeParticipant,
} from './participant-marks.ts';
import { requestRematch } from './rematch.ts';
import { isOrganizerTarget, sendToParticipants } from './send-emails.ts';

/** An inbound message as SES hands it over: stored raw, with its envelope and verdicts. */
export interface InboundMessage {
  /** SES's id for the message (also the name of the raw message in the bucket). */
  sesMessageId: string;
  raw: Uint8Array;
  envelopeRecipients: string[];
  verdicts: ReceiptVerdicts;
  /** The envelope sender (SMTP MAIL FROM, SES's `mail.source`): what SPF vouched for. */
  mailFrom?: string;
  receivedAt: Date;
}

export interface ReceiveResult {
  outcome: InboundOutcome;
  cohortId?: string;
  round?: number;
  /** What the message was: a reply, an auto-reply, a bounce, an empty message. */
  kind?: UnderstoodReply['kind'];
  intent?: UnderstoodReply['intent'];
}

export interface ReceiveDeps extends OrganizerReplyDeps {
  inbound: InboundLog;
  replyContexts: ReplyContextReader;
}

/** Tandem reads this much of a message; the rest of a 40 MB one is never fetched. */
export const maxReadBytes = 512 * 1024;

const day = (at: Date) => Math.floor(at.getTime() / 86_400_000);

/**
 * Takes in one inbound message and does what it asks, never fooled:
 * - dropped (virus, forged sender) or held for the organizer (spam, a reply to one
 *   participant's address from someone else, a message to two pairs' addresses), never
 *   recorded as an answer;
 * - auto-replies and bounces are counted, never answered;
 * - a reply from the participant is recorded against their answer for the round (a retried or
 *   duplicated message once; a second reply updates the answer and keeps both texts), and its
 *   intent takes effect: pause, resume, exit (no-fault), rematch (the rematch queue), unsubscribe;
 * - `exit` and `unsubscribe` act only for a proven sender (DMARC, or SPF/DKIM aligned with the
 *   From); from anyone else they change nothing and the participant is asked to confirm by link;
 * - a reply "confirm" to the email about a change to an application makes that change;
 * - an unknown or expired address, a closed cohort or a closed round gets a polite explanation,
 *   only for a proven sender, at most one per sender and day, and a few a day in all.
 */
export async function receiveReply(message: InboundMessage, deps: ReceiveDeps): Promise<ReceiveResult> {
  const verdict = authenticationVerdict(message.verdicts);
  if (verdict.action === 'drop')
    return logged(deps.inbound, { messageId: message.sesMessageId, outcome: 'dropped' }, message);

  const options = {
    inboundDomain: deps.settings.inboundDomain,
    envelopeRecipients: message.envelopeRecipients,
  };
  const reading = await readReply(message.raw, options);
  if (!reading.ok)
    return logged(deps.inbound, { messageId: message.sesMessageId, outcome: 'unreadable' }, message);
  let reply = reading.reply;
  const messageId = reply.messageId || message.sesMessageId;
  const context = { messageId, kind: reply.kind, intent: reply.intent };
  const proven = isAuthenticatedSender(message.verdicts, {
    from: reply.sender,
    ...(message.mailFrom ? { mailFrom: message.mailFrom } : {}),
    dkimDomains: reply.dkimDomains,
  });

  const unsubscribeToken = [...message.envelopeRecipients, ...reply.recipients]
    .map((address) => /^unsubscribe\+([a-z2-7]{10,40})@/i.exec(address)?.[1])
    .find(Boolean);
  if (unsubscribeToken) return unsubscribeByEmail(unsubscribeToken, reply, message, proven, deps);

  const keys = reply.replyKeys;
  // With several keys the message is held, in the first key's cohort so its organizers hear of it.
  // A key expires a while after its cohort closed: then it is unknown.
  const target = keys[0] ? await deps.replyKeys.resolve(keys[0], deps.clock.now()) : undefined;
  const known: ReplyContext = target
    ? await deps.replyContexts.read(target, messageId)
    : { seen: false, answer: null };
  const cohort = known.cohort;
  const participant = cohort ? known.participant : undefined;
  const cohortId = cohort?.id;

  if (reply.kind === 'auto_reply' || reply.kind === 'bounce') {
    return logged(deps.inbound, { ...context, cohortId, outcome: reply.kind }, message);
  }
  if (
    keys.length > 1 ||
    verdict.action === 'hold' ||
    (participant && !isSameSender(reply.sender, participant.email))
  ) {
    if (cohort)
      await hold(cohort, reply, message, deps, holdReason(keys.length, verdict.reason, participant));
    return logged(deps.inbound, { ...context, cohortId, outcome: 'held' }, message);
  }
  if (target && cohort && isOrganizerTarget(target)) {
    // An organizer answering a digest: commands, from an organizer's proven address only.
    if (known.seen) return { ...context, outcome: 'duplicate', cohortId: cohort.id, round: target.round };
    if (reply.kind === 'empty')
      return logged(deps.inbound, { ...context, cohortId, outcome: 'empty', round: target.round }, message);
    await receiveOrganizerReply(
      { cohort, target, sender: reply.sender, text: reply.text, messageId, proven },
      deps,
    );
    return logged(
      deps.inbound,
      { ...context, cohortId, round: target.round, outcome: 'organizer_command' },
      message,
    );
  }
  if (!target || !cohort || !participant) {
    const reason =
      keys.length === 0
        ? 'It was not sent to one of our reply addresses, so we could not tell which program or check-in it is about. Please reply directly to the email you received from us.'
        : 'The address you replied to is not valid any more. Please reply to the most recent email you received from us.';
    await courtesy(undefined, reply, reason, message, proven, deps);
    return logged(deps.inbound, { ...context, outcome: 'unknown_key' }, message);
  }
  if (known.seen) return { ...context, outcome: 'duplicate', cohortId: cohort.id, round: target.round };
  if (cohort.phase === 'closed') {
    await courtesy(
      cohort,
      reply,
      `${cohort.program.name} has ended, so we no longer record check-ins.`,
      message,
      proven,
      deps,
    );
    return logged(deps.inbound, { ...context, cohortId, outcome: 'cohort_closed' }, message);
  }
  if (reply.kind === 'empty')
    return logged(deps.inbound, { ...context, cohortId, outcome: 'empty', round: target.round }, message);

  // The participant is known now: read the reply's answers as their role's check-in.
  reply = reading.asRole(participant.role);

  // A reply to the email about a change to the application: "confirm" makes that change.
  if (target.change !== undefined && confirmsApplication(reply.text)) {
    const made = await deps.store.applyChange(cohort.id, participant.email, target.change, deps.clock.now());
    const outcome = made === 'applied' ? 'confirmed' : 'dropped';
    return logged(deps.inbound, { ...context, cohortId, round: 0, outcome }, message);
  }
  if (target.round === 0 && !participant.confirmed && confirmsApplication(reply.text)) {
    await deps.store.markParticipant(cohort.id, participant.email, 'confirmedAt', deps.clock.now());
    return logged(deps.inbound, { ...context, cohortId, round: 0, outcome: 'confirmed' }, message);
  }
  await applyIntent(cohort, participant, target, reply, message, proven, deps);
  if (target.round > 0 && target.round <= cohort.completedRounds) {
    await deps.notices.post(
      cohort.id,
      {
        at: message.receivedAt.toISOString(),
        kind: 'held-reply',
        message: `${participant.name} answered check-in ${target.round} after it closed: "${excerpt(reply.text)}"`,
      },
      noticeId(messageId, 'held-reply'),
    );
    // Never to someone who has unsubscribed (before, or in this very message).
    if (isMailable(participant) && reply.intent !== 'unsubscribe')
      await courtesy(
        cohort,
        reply,
        `Check-in ${target.round} is closed, so we passed your answer to the organizers instead. Your next check-in will follow soon.`,
        message,
        proven,
        deps,
      );
    return logged(
      deps.inbound,
      { ...context, cohortId, round: target.round, outcome: 'round_closed' },
      message,
    );
  }
  // The mid-point and close-out surveys ask their own questions.
  const roundKind = cohortCalendar(cohort.program, cohort.schedule).rounds.find(
    (round) => round.number === target.round,
  )?.kind;
  const survey = roundKind && roundKind !== 'check-in' ? readSurvey(reply.text, roundKind) : undefined;
  const outcome = await deps.answers.recordReply(
    {
      cohortId: cohort.id,
      round: target.round,
      participantId: participant.participantId,
      email: participant.email,
      content: {
        ...reply.answers,
        intent: reply.intent,
        note: reply.note,
        confidence: reply.confidence,
        ...(survey && Object.keys(survey).length ? { survey } : {}),
      },
      messageId,
      receivedAt: message.receivedAt.toISOString(),
      text: reply.text,
      inbound: { cohortId: cohort.id, messageId, kind: reply.kind, at: message.receivedAt },
    },
    known.answer,
  );
  const result = { ...context, cohortId, round: target.round, outcome };
  // The answer's write logged the message, unless it had been recorded before.
  if (outcome === 'duplicate') return logged(deps.inbound, result, message);
  const { messageId: _logged, ...rest } = result;
  return rest;
}

/**
 * Pause, resume, exit, rematch and unsubscribe take effect once, however often the message
 * comes; what follows each (notices, pairs ended, confirmations) runs on every delivery, so a
 * crash halfway is made good by the redelivery. Exit and unsubscribe need a proven sender.
 */
async function applyIntent(
  cohort: Cohort,
  participant: Participant,
  target: ReplyKeyTarget,
  reply: UnderstoodReply,
  message: InboundMessage,
  proven: boolean,
  deps: ReceiveDeps,
): Promise<void> {
  const now = deps.clock.now();
  const messageId = reply.messageId || message.sesMessageId;
  const request: MarkRequest = { at: message.receivedAt, how: 'by email' };
  const who = `${participant.name} <${participant.email}> (${participant.role})`;

  // "resume" (or "I'm back, let's carry on") answers a pause confirmation.
  if (reply.intent === 'resume') {
    if (await deps.store.clearParticipantMark(cohort.id, participant.email, 'pausedAt', now)) {
      await deps.notices.post(
        cohort.id,
        { at: message.receivedAt.toISOString(), kind: 'pause', message: `${who} is back: check-ins resume.` },
        noticeId(messageId, 'resume'),
      );
    }
    return;
  }
  switch (reply.intent) {
    case 'pause':
      return pauseParticipant(cohort, participant, { ...request, round: target.round }, deps);
    case 'exit':
      if (!proven) return askToConfirmByLink(cohort, participant, 'exit', target.round, deps);
      return exitParticipant(cohort, participant, request, deps);
    case 'rematch':
      await deps.notices.post(
        cohort.id,
        {
          at: message.receivedAt.toISOString(),
          kind: 'rematch-request',
          message: `${who} asked for a new partner: "${excerpt(reply.text)}"`,
        },
        noticeId(messageId, 'rematch-request'),
      );
      // Their pair ends at no one's fault and they join the rematch queue (once, however often
      // the message comes); while the cohort runs, that is, and not while they are away.
      if (cohort.phase === 'running' && isActive(participant))
        await requestRematch(cohort.id, participant.email, 'participant', deps);
      await sendToParticipants(
        cohort,
        [
          {
            participant,
            audience: participant.role,
            kind: 'rematch-confirmation',
            round: target.round,
            thread: `participant-${participant.participantId}`,
          },
        ],
        deps,
      );
      return;
    case 'unsubscribe':
      if (!proven) return askToConfirmByLink(cohort, participant, 'unsubscribe', target.round, deps);
      return unsubscribeParticipant(cohort, participant, request, deps);
    default:
      return;
  }
}

/**
 * The `mailto:` of List-Unsubscribe: an email to unsubscribe+TOKEN@ from the participant's own
 * address. From a proven sender it unsubscribes (and tells the organizers, on every delivery);
 * from anyone else it asks the participant to confirm by link.
 */
async function unsubscribeByEmail(
  token: string,
  reply: UnderstoodReply,
  message: InboundMessage,
  proven: boolean,
  deps: ReceiveDeps,
) {
  const participant = await deps.store.findParticipantByLinkToken(token.toLowerCase());
  const messageId = reply.messageId || message.sesMessageId;
  if (!participant || !isSameSender(reply.sender, participant.email)) {
    return logged(
      deps.inbound,
      { messageId, outcome: 'held', ...(participant ? { cohortId: participant.cohortId } : {}) },
      message,
    );
  }
  const cohort = await deps.store.getCohort(participant.cohortId);
  if (!cohort) return logged(deps.inbound, { messageId, outcome: 'unknown_key' }, message);
  if (!proven) {
    if (isMailable(participant)) await askToConfirmByLink(cohort, participant, 'unsubscribe', 0, deps);
    return logged(deps.inbound, { messageId, cohortId: cohort.id, outcome: 'unverified' }, message);
  }
  await unsubscribeParticipant(
    cohort,
    participant,
    { at: message.receivedAt, how: 'by email (one-click)' },
    deps,
  );
  return logged(deps.inbound, { messageId, cohortId: cohort.id, outcome: 'unsubscribed' }, message);
}

async function hold(
  cohort: Cohort,
  reply: UnderstoodReply,
  message: InboundMessage,
  deps: ReceiveDeps,
  reason: string,
) {
  await deps.notices.post(
    cohort.id,
    {
      at: message.receivedAt.toISOString(),
      kind: 'held-reply',
      message: `Held a message from ${reply.sender} (${reason}): "${excerpt(reply.text)}"`,
    },
    noticeId(reply.messageId || message.sesMessageId, 'held-reply'),
  );
}

function holdReason(keys: number, verdict: string, participant: Participant | undefined): string {
  if (keys > 1) return 'it was sent to more than one participant’s reply address';
  if (verdict !== 'passed') return `SES verdict: ${verdict.replace('_', ' ')}`;
  return `it was sent to ${participant?.name ?? 'a participant'}’s reply address from another address`;
}

/** Courtesy replies a day, all senders together, unless the deployment says otherwise. */
const defaultCourtesyRepliesPerDay = 200;

/**
 * A polite explanation, only where it cannot be abused: to a proven sender (else anyone could
 * make Tandem mail anyone, signed with the program's domain) who did not ask to be forgotten,
 * never to an automated one, at most one per sender and day and so many a day in all (counters
 * of their own, keyed by the sender's hash, expiring), never repeating what they wrote. Best
 * effort: a reply that cannot go now is not retried.
 */
async function courtesy(
  cohort: Cohort | undefined,
  reply: UnderstoodReply,
  reason: string,
  message: InboundMessage,
  proven: boolean,
  deps: ReceiveDeps,
) {
  if (!proven || !reply.sender || /^(mailer-daemon|postmaster|no-?reply)@/i.test(reply.sender)) return;
  // Sent without a ledger claim: a forgotten address is refused here instead.
  if (await deps.ledger.isSuppressed(reply.sender)) return;
  const today = day(message.receivedAt);
  const expiresAt = new Date((today + 2) * 86_400_000);
  const sender = createHash('sha256').update(reply.sender).digest('hex');
  const once = { scope: 'courtesy-sender', window: `${today}#${sender}`, limit: 1, expiresAt };
  const all = {
    scope: 'courtesy',
    window: String(today),
    limit: deps.settings.courtesyRepliesPerDay ?? defaultCourtesyRepliesPerDay,
    expiresAt,
  };
  if ((await deps.limits.take(once, 1)) === 0 || (await deps.limits.take(all, 1)) === 0) return;
  const email = composeCourtesyReply(
    { ...(cohort ? { cohort } : {}), to: reply.sender, reason, day: today },
    deps.settings,
  );
  await deps.mailer.send(email).catch(() => undefined);
}

async function logged(
  inbound: InboundLog,
  result: ReceiveResult & { messageId: string },
  message: InboundMessage,
) {
  const { messageId, ...rest } = result;
  await inbound.record({
    ...(rest.cohortId ? { cohortId: rest.cohortId } : {}),
    ...(rest.kind ? { kind: rest.kind } : {}),
    messageId,
    outcome: rest.outcome,
    at: message.receivedAt,
  });
  return rest;
}

const excerpt = (text: string) =>
  (text.length > 280 ? `${text.slice(0, 277)}…` : text).replace(/\s+/g, ' ').trim();
/** One notice of each kind per message: a late reply that also pauses gets both notices. */
const noticeId = (messageId: string, kind: string) =>
  createHash('sha256').update(`${messageId}#${kind}`).digest('hex').slice(0, 20);

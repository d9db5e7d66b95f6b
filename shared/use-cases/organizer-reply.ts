import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Cohort } from '../cohorts/cohort.ts';
import type { DigestItem, DigestItems } from '../cohorts/digest-items.ts';
import { ownRoundsFrom } from '../email/outbound-email.ts';
import { TandemError } from '../errors.ts';
import { type OrganizerCommand, readOrganizerCommands } from '../inbound/organizer-commands.ts';
import { isSameSender } from '../inbound/sender.ts';
import type { DigestItemStore, ReplyKeyTarget } from '../ports.ts';
import { closePair } from './close-pair.ts';
import { stableId } from './deliver-email.ts';
import { nudgePair } from './nudge-pair.ts';
import { pairMessages } from './pair-messages.ts';
import { approveRematches, closePairByOrganizer, type RematchDeps, requestRematch } from './rematch.ts';
import { sendToOrganizers, sendToParticipants } from './send-emails.ts';

export interface OrganizerReplyDeps extends RematchDeps {
  digests: DigestItemStore;
}

export interface OrganizerReply {
  cohort: Cohort;
  /** The reply key's target: the organizer and the round of the digest answered. */
  target: ReplyKeyTarget;
  sender: string;
  /** The reply's new text. */
  text: string;
  messageId: string;
  /** DMARC, or SPF/DKIM aligned with the From, passed. */
  proven: boolean;
}

export interface OrganizerReplyResult {
  done: string[];
  notDone: string[];
  notUnderstood: string[];
  /** Why nothing was done: the sender is not an organizer, or could not be proven. */
  refused?: string;
}

/**
 * An organizer's reply to a digest: short commands, one a line (`close 3`, `rematch 2`,
 * `nudge 1`, `approve`), acting on the items that digest numbered. Only from an address in the
 * program's organizers, with an authenticated sender; anything else does nothing, and the
 * organizer the digest went to hears of it. Every command is idempotent (a redelivered reply
 * ends, queues and sends nothing twice) and the organizer gets one confirmation per reply that
 * says what was done, what was not, and what was not understood.
 */
export async function receiveOrganizerReply(
  reply: OrganizerReply,
  deps: OrganizerReplyDeps,
): Promise<OrganizerReplyResult> {
  const { cohort, target } = reply;
  const organizer = cohort.program.organizers.find((o) => isSameSender(reply.sender, o.email));
  const refused = !organizer
    ? `it came from ${reply.sender || 'an unknown address'}, which is not one of the program's organizers`
    : !reply.proven
      ? 'its sender could not be authenticated (no DMARC pass, no aligned SPF or DKIM pass)'
      : undefined;
  const result: OrganizerReplyResult = { done: [], notDone: [], notUnderstood: [] };
  if (refused || !organizer) {
    await deps.notices.post(
      cohort.id,
      {
        at: deps.clock.now().toISOString(),
        kind: 'held-reply',
        message: `A reply to the digest of check-in ${target.round} was not acted on: ${refused}.`,
      },
      confirmationId(reply.messageId),
    );
    await confirm(cohort, target.email, reply.messageId, { ...result, refused: refused ?? '' }, deps);
    return { ...result, refused: refused ?? '' };
  }

  const items = await deps.digests.getDigestItems(cohort.id, target.round);
  const { commands, notUnderstood } = readOrganizerCommands(reply.text);
  result.notUnderstood = notUnderstood;
  for (const command of commands) {
    try {
      const outcome = await carryOut(command, items, cohort, organizer.name, deps);
      (outcome.done ? result.done : result.notDone).push(`${command.line}: ${outcome.text}`);
    } catch (error) {
      if (!(error instanceof TandemError)) throw error;
      result.notDone.push(`${command.line}: ${error.message}`);
    }
  }
  await confirm(cohort, organizer.email, reply.messageId, result, deps);
  return result;
}

async function carryOut(
  command: OrganizerCommand,
  digest: DigestItems | undefined,
  cohort: Cohort,
  organizerName: string,
  deps: OrganizerReplyDeps,
): Promise<{ done: boolean; text: string }> {
  if (command.verb === 'approve') {
    const formed = await approveRematches(cohort.id, deps);
    return formed.length === 0
      ? { done: false, text: 'no rematch proposal waits for approval' }
      : {
          done: true,
          text: `${formed.length} new ${formed.length === 1 ? 'pair' : 'pairs'} introduced (${formed.map((p) => `${p.menteeEmail} & ${p.mentorEmail}`).join(', ')}), from check-in ${formed[0]?.startRound}`,
        };
  }
  const item = digest?.items.find((each) => each.number === command.item);
  if (!item) return { done: false, text: `this digest has no item ${command.item}` };
  if (!item.commands.includes(`${command.verb} ${item.number}`)) {
    return { done: false, text: `item ${item.number} (${item.title}) takes ${item.commands.join(', ')}` };
  }
  switch (command.verb) {
    case 'nudge': {
      const nudged = await nudgePair(cohort.id, item.pairId ?? '', deps);
      return nudged.nudged.length
        ? { done: true, text: `nudged ${item.title} about check-in ${nudged.round}` }
        : { done: false, text: `${item.title} had their nudge for check-in ${nudged.round} already` };
    }
    case 'close':
      return digest?.midpoint
        ? endAtMidpoint(item, cohort, organizerName, deps)
        : closed(
            await closePairByOrganizer(
              cohort.id,
              item.pairId ?? '',
              `closed by ${organizerName} from the digest`,
              deps,
            ),
            item,
          );
    case 'rematch': {
      const who =
        item.participant ?? (await deps.pairs.getPair(cohort.id, item.pairId ?? ''))?.menteeEmail ?? '';
      const outcome = await requestRematch(cohort.id, who, 'organizer', deps);
      const [proposal] = outcome.proposals.proposed.filter((p) => p.mentee === who);
      const [unplaceable] = outcome.proposals.unplaceable.filter((u) => u.mentee === who);
      return {
        done: true,
        text: proposal
          ? `${who} will be matched with ${proposal.mentor}${outcome.proposals.approved.length ? ' (introduced)' : ' once you approve (reply approve)'}`
          : unplaceable
            ? `${who} waits for a new partner, but nobody with a free place can take them now: ${unplaceable.reason}`
            : `${who} waits for a new partner`,
      };
    }
  }
}

function closed(outcome: { closed: boolean; queued: { email: string }[] }, item: DigestItem) {
  if (!outcome.closed) return { done: false, text: `${item.title} had ended already` };
  const waiting = outcome.queued.map((r) => r.email);
  return {
    done: true,
    text: `ended ${item.title}, at no one's fault${waiting.length ? `; ${waiting.join(' and ')} wait for a new partner` : ''}`,
  };
}

/** A pair that ends at the mid-point review ends well: a thank-you to both, nobody queued, no blame. */
async function endAtMidpoint(
  item: DigestItem,
  cohort: Cohort,
  organizerName: string,
  deps: OrganizerReplyDeps,
) {
  const pair = await deps.pairs.getPair(cohort.id, item.pairId ?? '');
  if (pair?.status !== 'active') return { done: false, text: `${item.title} had ended already` };
  const { messages } = pairMessages([pair], await deps.store.listParticipants(cohort.id), {
    kind: 'midpoint-thanks',
    round: cohort.completedRounds,
    day: DateTime.fromJSDate(deps.clock.now(), { zone: cohort.program.timezone }).toISODate() ?? '',
  });
  // A thank-you is about one pairing: a mentor whose two pairings end at the review gets one for
  // each, so each takes a ledger round of its own (the ledger sends a kind once a round).
  const round = roundOfItsOwn(stableId('midpoint-thanks', pair.pairId));
  const thanks = messages.map((message) => ({ ...message, round }));
  const outcome = await closePair(
    {
      cohortId: cohort.id,
      pairId: pair.pairId,
      by: 'mid-point',
      reason: `ended at the mid-point review by ${organizerName}`,
    },
    deps,
  );
  await sendToParticipants(cohort, thanks, deps);
  return outcome.closed
    ? { done: true, text: `ended ${item.title} at the mid-point, with a thank-you to both` }
    : { done: false, text: `${item.title} had ended already` };
}

/** One confirmation per reply (a redelivery sends none): its ledger round comes from the message's id. */
function confirm(
  cohort: Cohort,
  to: string,
  messageId: string,
  confirmation: OrganizerReplyResult,
  deps: OrganizerReplyDeps,
) {
  const round = roundOfItsOwn(confirmationId(messageId));
  return sendToOrganizers(cohort, 'organizer-confirmation', round, { confirmation }, deps, [], to);
}

const confirmationId = (messageId: string) =>
  createHash('sha256').update(`organizer-reply#${messageId}`).digest('hex').slice(0, 20);

/**
 * A ledger round for a message that is not one of a check-in round's (the ledger sends each kind
 * to a recipient once a round): from the hex id of what it is about, at `ownRoundsFrom` or above.
 */
function roundOfItsOwn(hexId: string): number {
  const hashed = Number.parseInt(hexId.slice(0, 8), 16);
  return hashed < ownRoundsFrom ? hashed + ownRoundsFrom : hashed;
}

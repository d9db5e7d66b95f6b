import { isActive } from '../cohorts/cohort.ts';
import {
  type DigestItem,
  type DigestItemReason,
  type DigestItems,
  digestItemReasons,
} from '../cohorts/digest-items.ts';
import type { Pair } from '../cohorts/pair.ts';
import type { AnswerSummary, DigestItemStore, RematchStore } from '../ports.ts';
import { cohortCalendar } from '../program/calendar.ts';
import { engagementOf } from '../program/program-schema.ts';
import { suggestedAction } from './engagement-ladder.ts';
import { isAtRisk } from './list-pairs.ts';
import { loadCohort } from './load-cohort.ts';
import { type MailDeps, type SendSummary, sendToOrganizers } from './send-emails.ts';

export interface DigestDeps extends MailDeps {
  digests: DigestItemStore;
  rematches: RematchStore;
}

export interface RoundDigest {
  round: number;
  totalRounds: number;
  isMidpoint: boolean;
  /** Participants the round's check-in went to. */
  sent: number;
  answered: number;
  pairs: number;
  pairsMet: number;
  /**
   * What needs the organizers' decision, numbered, grouped by reason (pairs at risk; at the
   * mid-point: silent, low usefulness, asked to rematch or end; mentees nobody can take), each
   * with one line of evidence and the reply commands that act on it.
   */
  groups: { reason: DigestItemReason; heading: string; items: DigestItem[] }[];
  /** Rematch proposals waiting for approval (reply `approve`). */
  proposals: { mentee: string; mentor: string; score: number; round: number }[];
  notices: string[];
}

const headings: Record<DigestItemReason, string> = {
  'at-risk': 'Pairs at risk (the engagement ladder)',
  silent: 'Silent: no answer to the mid-point survey',
  'low-usefulness': 'Low usefulness: rated 2 or less out of 5',
  'asked-rematch': 'Asked for another partner',
  'asked-end': 'Asked to end the pairing',
  unplaceable: 'Waiting for a new partner that nobody with a free place can be',
};

/** Where the cohort stands after a round: answers, meetings, and what needs the organizers, numbered. */
export async function buildDigest(cohortId: string, round: number, deps: DigestDeps): Promise<RoundDigest> {
  const cohort = await loadCohort(deps.store, cohortId);
  const calendar = cohortCalendar(cohort.program, cohort.schedule);
  const previousRound = calendar.rounds[round - 2];
  const isMidpoint = round === calendar.midpointRound;
  const [pairs, participants, answers, notices, queue] = await Promise.all([
    deps.pairs.listPairs(cohortId),
    deps.store.listParticipants(cohortId),
    deps.answers.listAnswerSummaries(cohortId, round),
    deps.notices.list(cohortId, previousRound?.date ?? ''),
    deps.rematches.listRematches(cohortId),
  ]);
  const byEmail = new Map(participants.map((p) => [p.email, p]));
  const name = (email: string) => byEmail.get(email)?.name ?? email;
  const answerOf = new Map(answers.map((a) => [a.email, a]));
  const active = pairs.filter((pair) => pair.status === 'active' && pair.startRound < round);

  let sent = 0;
  let pairsMet = 0;
  for (const pair of active) {
    sent += [pair.menteeEmail, pair.mentorEmail].filter((email) => {
      const participant = byEmail.get(email);
      return participant && isActive(participant);
    }).length;
    if (answerOf.get(pair.menteeEmail)?.met === true || answerOf.get(pair.mentorEmail)?.met === true)
      pairsMet++;
  }

  const engagement = engagementOf(cohort.program);
  const found: Omit<DigestItem, 'number' | 'commands'>[] = [];
  for (const pair of active) {
    const title = `${name(pair.menteeEmail)} & ${name(pair.mentorEmail)}`;
    const review = isMidpoint ? midpointReason(pair, answerOf, name) : undefined;
    if (review) found.push({ ...review, pairId: pair.pairId, title });
    else if (isAtRisk(pair))
      found.push({
        reason: 'at-risk',
        pairId: pair.pairId,
        title,
        evidence: `${pair.ladder?.reason ?? 'no meeting reported'}. Suggested: ${suggestedAction(pair, engagement).text}.`,
      });
  }
  for (const request of queue) {
    const participant = byEmail.get(request.email);
    if (request.status === 'unplaceable' && participant && isActive(participant))
      found.push({
        reason: 'unplaceable',
        participant: request.email,
        title: `${participant.name} (${participant.role})`,
        evidence: request.unplaceableReason ?? 'no free place fits',
      });
  }
  const ordered = digestItemReasons.flatMap((reason) => found.filter((item) => item.reason === reason));
  const items = ordered.map((item, index) => ({
    ...item,
    number: index + 1,
    commands: commandsFor(item, index + 1),
  }));
  const kept = await deps.digests.keepDigestItems({
    cohortId,
    round,
    midpoint: isMidpoint,
    items,
    proposals: queue.filter((r) => r.status === 'proposed').length,
    createdAt: deps.clock.now().toISOString(),
  });
  return {
    round,
    totalRounds: calendar.rounds.length,
    isMidpoint,
    sent,
    answered: answers.length,
    pairs: active.length,
    pairsMet,
    groups: groupsOf(kept),
    proposals: queue
      .filter((r) => r.status === 'proposed' && r.newPartner)
      .map((r) => ({
        mentee: name(r.email),
        mentor: name(r.newPartner ?? ''),
        score: r.score ?? 0,
        round: r.round ?? 0,
      })),
    notices: notices.map((notice) => notice.message),
  };
}

/** The reply commands that act on an item. */
function commandsFor(item: Omit<DigestItem, 'number' | 'commands'>, number: number): string[] {
  const verbs =
    item.reason === 'unplaceable'
      ? ['rematch']
      : item.reason === 'asked-end' || item.reason === 'asked-rematch'
        ? ['close', 'rematch']
        : ['nudge', 'close', 'rematch'];
  return verbs.map((verb) => `${verb} ${number}`);
}

function groupsOf(kept: DigestItems): RoundDigest['groups'] {
  return digestItemReasons
    .map((reason) => ({
      reason,
      heading: headings[reason],
      items: kept.items.filter((i) => i.reason === reason),
    }))
    .filter((group) => group.items.length > 0);
}

/**
 * Why a pair needs a decision at the mid-point review, from its survey answers, most pressing
 * first: a side asked to end it, or for another partner; a side found it of little use; nobody
 * answered. Undefined when the pair is fine.
 */
function midpointReason(
  pair: Pair,
  answerOf: Map<string, AnswerSummary>,
  name: (email: string) => string,
): { reason: DigestItemReason; evidence: string } | undefined {
  const sides = [pair.menteeEmail, pair.mentorEmail].flatMap((email) => {
    const answer = answerOf.get(email);
    return answer ? [{ who: name(email), survey: answer.survey ?? {} }] : [];
  });
  const said = (side: (typeof sides)[number]) =>
    side.survey.help ? ` — "${excerpt(side.survey.help)}"` : '';
  for (const decision of ['end', 'rematch'] as const) {
    const asker = sides.find((side) => side.survey.decision === decision);
    if (asker)
      return {
        reason: decision === 'end' ? 'asked-end' : 'asked-rematch',
        evidence: `${asker.who} answered "${decision}"${said(asker)}`,
      };
  }
  const low = sides.find((side) => typeof side.survey.usefulness === 'number' && side.survey.usefulness <= 2);
  if (low)
    return {
      reason: 'low-usefulness',
      evidence: `${low.who} rated it ${low.survey.usefulness}/5${said(low)}`,
    };
  if (sides.length === 0) return { reason: 'silent', evidence: 'neither side answered the mid-point survey' };
  return undefined;
}

const excerpt = (text: string) => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
};

export async function sendDigest(cohortId: string, round: number, deps: DigestDeps): Promise<SendSummary> {
  const cohort = await loadCohort(deps.store, cohortId);
  const digest = await buildDigest(cohortId, round, deps);
  return sendToOrganizers(cohort, 'organizer-digest', round, { digest }, deps);
}

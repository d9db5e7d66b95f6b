import { DateTime } from 'luxon';
import { type Cohort, isActive, type Participant } from '../cohorts/cohort.ts';
import { type Pair, pairIdOf, sharedTopicsOf } from '../cohorts/pair.ts';
import type { RematchReason, RematchRequest } from '../cohorts/rematch.ts';
import { conflict, notFound } from '../errors.ts';
import { runMatching } from '../matching/run-matching.ts';
import type { MatchDraftStore, RematchStore } from '../ports.ts';
import { roundsAt } from '../program/calendar.ts';
import { normalizeEmail } from '../validation/fields.ts';
import { closePair, type PairCloser } from './close-pair.ts';
import { loadCohort } from './load-cohort.ts';
import { pairMessages } from './pair-messages.ts';
import { type MailDeps, sendToOrganizers, sendToParticipants } from './send-emails.ts';

export interface RematchDeps extends MailDeps {
  rematches: RematchStore;
  drafts: MatchDraftStore;
}

/** Who asks for a rematch: the participant themselves (a `rematch` reply) or an organizer. */
export type RematchRequester = Extract<PairCloser, 'participant' | 'organizer'>;

const reasonOf: Record<RematchRequester, RematchReason> = {
  participant: 'participant-request',
  organizer: 'organizer',
};

/** Requests still waiting for a partner: one person waits at most once. */
const waiting = (request: RematchRequest) => request.status === 'queued' || request.status === 'proposed';

export interface RematchOutcome {
  /** The requests added to the queue (the person, and partners their pair left behind). */
  queued: RematchRequest[];
  proposals: ProposalsOutcome;
}

/**
 * Puts a participant in the rematch queue: their pairs end at no one's fault (each partner
 * left behind joins the queue too), then new partners are proposed — or approved at once, when
 * the program says `rematch: automatic`. Asking again while waiting changes nothing.
 */
export async function requestRematch(
  cohortId: string,
  email: string,
  by: RematchRequester,
  deps: RematchDeps,
): Promise<RematchOutcome> {
  const cohort = await loadCohort(deps.store, cohortId);
  requireRunning(cohort);
  const address = normalizeEmail(email);
  const participant = await deps.store.getParticipant(cohortId, address);
  if (!participant?.confirmed) {
    throw notFound(
      `${address} is not a participant of cohort "${cohortId}". List the pairs with: tandem pairs ${cohortId}`,
    );
  }
  if (!isActive(participant)) {
    throw conflict(
      `${participant.name} cannot be rematched: they ${participant.exitedAt ? 'left the program' : participant.pausedAt ? 'paused (they come back with "resume")' : 'get no more email'}.`,
    );
  }
  const reason = reasonOf[by];
  const now = deps.clock.now().toISOString();
  const queued: RematchRequest[] = [];
  const theirs = (await deps.pairs.listPairs(cohortId)).filter(
    (pair) =>
      pair.status === 'active' &&
      (pair.menteeEmail === participant.email || pair.mentorEmail === participant.email),
  );
  for (const pair of theirs) {
    const closed = await closePair(
      {
        cohortId,
        pairId: pair.pairId,
        by,
        reason:
          by === 'participant' ? `${participant.name} asked for a new partner` : 'an organizer rematched it',
        leaving: participant.email,
        endKind: by === 'participant' ? 'rematch-request' : 'organizer',
      },
      deps,
    );
    queued.push(...closed.queued);
  }
  const theirRequests = (await deps.rematches.listRematches(cohortId)).filter(
    (request) => request.email === participant.email,
  );
  // Nobody could take them before: with no pair to leave, asking again puts that request back.
  const retry = theirs.length === 0 ? theirRequests.find((r) => r.status === 'unplaceable') : undefined;
  if (retry) {
    const { unplaceableReason: _reason, ...request } = retry;
    const again: RematchRequest = { ...request, reason, status: 'queued', updatedAt: now };
    await deps.rematches.saveRematch(again);
    queued.push(again);
  } else if (!theirRequests.some(waiting)) {
    const [pair] = theirs;
    const partner = pair && (pair.menteeEmail === participant.email ? pair.mentorEmail : pair.menteeEmail);
    const request: RematchRequest = {
      cohortId,
      email: participant.email,
      role: participant.role,
      reason,
      status: 'queued',
      queuedAt: now,
      ...(pair ? { previousPairId: pair.pairId } : {}),
      ...(partner ? { previousPartner: partner } : {}),
      updatedAt: now,
    };
    if (await deps.rematches.queueRematch(request)) queued.push(request);
  }
  return { queued, proposals: await proposeRematches(cohortId, deps) };
}

export interface RematchProposal {
  mentee: string;
  mentor: string;
  score: number;
  reasons: string[];
  /** The round the new pair joins. */
  round: number;
}

/**
 * An organizer ends one pair (`tandem close-pair`, a reply `close N` to the digest): at no
 * one's fault, both sides join the rematch queue, and new partners are proposed.
 */
export async function closePairByOrganizer(
  cohortId: string,
  pairId: string,
  reason: string | undefined,
  deps: RematchDeps,
): Promise<RematchOutcome & { pair: Pair; closed: boolean }> {
  requireRunning(await loadCohort(deps.store, cohortId));
  const closed = await closePair(
    { cohortId, pairId, by: 'organizer', reason: reason ?? 'closed by an organizer' },
    deps,
  );
  return { ...closed, proposals: await proposeRematches(cohortId, deps) };
}

export interface ProposalsOutcome {
  /** New proposals: waiting for the organizers' approval, or approved already (`automatic`). */
  proposed: RematchProposal[];
  /** Mentees nobody can take, and why. */
  unplaceable: { mentee: string; reason: string }[];
  /** Pairs formed (with `rematch: automatic`). */
  approved: Pair[];
}

/**
 * Proposes a new mentor for every mentee in the queue, with the cohort's own matching engine
 * over the free places only: each mentor's capacity less the mentees they have (or are
 * proposed), never a previous partner, every rule, exclusion and forbidden pair still holding.
 * A mentee nobody can take is told kindly and the organizers hear why. With `rematch:
 * automatic` the proposals are approved at once; otherwise the organizers get the draft.
 */
export async function proposeRematches(cohortId: string, deps: RematchDeps): Promise<ProposalsOutcome> {
  const cohort = await loadCohort(deps.store, cohortId);
  const [queue, pairs, participants, review] = await Promise.all([
    deps.rematches.listRematches(cohortId),
    deps.pairs.listPairs(cohortId),
    deps.store.listParticipants(cohortId),
    deps.drafts.getReview(cohortId),
  ]);
  const byEmail = new Map(participants.map((p) => [p.email, p]));
  const mentees = queue.filter(
    (request) =>
      request.status === 'queued' && request.role === 'mentee' && isRematchable(byEmail.get(request.email)),
  );
  const outcome: ProposalsOutcome = { proposed: [], unplaceable: [], approved: [] };
  if (mentees.length === 0 || cohort.phase !== 'running') return outcome;

  const now = deps.clock.now();
  const round = roundsAt(cohort.program, cohort.schedule, cohort.completedRounds, now).next;
  const taken = new Map<string, number>();
  const count = (mentor: string) => taken.set(mentor, (taken.get(mentor) ?? 0) + 1);
  for (const pair of pairs) if (pair.status === 'active') count(pair.mentorEmail);
  for (const request of queue)
    if (request.status === 'proposed' && request.newPartner) count(request.newPartner);
  const mentors = participants.filter((p) => p.role === 'mentor' && p.confirmed && isActive(p));
  const capacityOverrides = Object.fromEntries(
    mentors.map((mentor) => {
      const places =
        review.settings.capacityOverrides[mentor.email] ?? mentor.capacity ?? cohort.program.mentorCapacity;
      return [mentor.email, Math.max(0, places - (taken.get(mentor.email) ?? 0))];
    }),
  );
  const result =
    round === undefined
      ? undefined
      : runMatching(
          [...mentees.map((request) => byEmail.get(request.email) as Participant), ...mentors],
          cohort.program,
          {
            forbids: review.settings.forbids,
            capacityOverrides,
            previousPartners: pairs.map((pair) => ({ mentee: pair.menteeEmail, mentor: pair.mentorEmail })),
          },
        );
  const at = now.toISOString();
  for (const request of mentees) {
    const match = result?.pairs.find((pair) => pair.mentee === request.email);
    if (match && round !== undefined) {
      const proposal = {
        mentee: match.mentee,
        mentor: match.mentor,
        score: match.score,
        reasons: match.reasons,
        round,
      };
      await deps.rematches.saveRematch({
        ...request,
        status: 'proposed',
        newPartner: match.mentor,
        round,
        score: match.score,
        reasons: match.reasons,
        updatedAt: at,
      });
      outcome.proposed.push(proposal);
    } else {
      const reason =
        result?.unmatched.find((unmatched) => unmatched.mentee === request.email)?.reason ??
        'the cohort has no check-in left for a new pair to join';
      await deps.rematches.saveRematch({
        ...request,
        status: 'unplaceable',
        unplaceableReason: reason,
        updatedAt: at,
      });
      outcome.unplaceable.push({ mentee: request.email, reason });
    }
  }
  await tellUnplaceable(cohort, outcome.unplaceable, byEmail, deps);
  if (outcome.proposed.length === 0) return outcome;
  if (cohort.program.rematch === 'automatic') {
    return { ...outcome, approved: await approveRematches(cohortId, deps) };
  }
  const names = (email: string) => byEmail.get(email)?.name ?? email;
  await sendToOrganizers(
    cohort,
    'rematch-proposal',
    round ?? 0,
    {
      rematch: {
        proposals: outcome.proposed.map((p) => ({
          ...p,
          menteeName: names(p.mentee),
          mentorName: names(p.mentor),
        })),
      },
    },
    deps,
  );
  return outcome;
}

/**
 * Approves every proposed rematch: each becomes a pair (`origin: rematch`) that joins the
 * cohort's calendar at its round, and both sides get their introduction now. Idempotent: a
 * rerun adds no pair twice and the ledger sends no introduction twice.
 */
export async function approveRematches(cohortId: string, deps: RematchDeps): Promise<Pair[]> {
  const cohort = await loadCohort(deps.store, cohortId);
  requireRunning(cohort);
  const [queue, participants] = await Promise.all([
    deps.rematches.listRematches(cohortId),
    deps.store.listParticipants(cohortId),
  ]);
  const byEmail = new Map(participants.map((p) => [p.email, p]));
  const proposed = queue.filter((request) => request.status === 'proposed' && request.newPartner);
  const now = deps.clock.now().toISOString();
  const formed: Pair[] = [];
  for (const request of proposed) {
    const mentor = request.newPartner ?? '';
    const pair: Pair = {
      pairId: pairIdOf(cohortId, request.email, mentor),
      cohortId,
      menteeEmail: request.email,
      mentorEmail: mentor,
      score: request.score ?? 0,
      reasons: request.reasons ?? [],
      sharedTopics: sharedTopicsOf(
        byEmail.get(request.email)?.topics ?? [],
        byEmail.get(mentor)?.topics ?? [],
      ),
      status: 'active',
      startRound: request.round ?? cohort.completedRounds + 1,
      createdAt: now,
      origin: 'rematch',
    };
    await deps.pairs.addPair(pair);
    await deps.rematches.saveRematch({
      ...request,
      status: 'matched',
      newPairId: pair.pairId,
      updatedAt: now,
    });
    // The mentor may have been waiting too (their mentee left): their wait is over.
    for (const other of queue) {
      if (other.email === mentor && waiting(other)) {
        await deps.rematches.saveRematch({
          ...other,
          status: 'matched',
          newPairId: pair.pairId,
          newPartner: request.email,
          round: pair.startRound,
          updatedAt: now,
        });
      }
    }
    formed.push(pair);
  }
  for (const round of new Set(formed.map((pair) => pair.startRound))) {
    const { messages } = pairMessages(formed, participants, {
      kind: 'match-announcement',
      round,
      day: DateTime.fromJSDate(deps.clock.now(), { zone: cohort.program.timezone }).toISODate() ?? '',
      startingOnly: true,
      context: () => ({ rematch: true }),
    });
    await sendToParticipants(cohort, messages, deps);
  }
  return formed;
}

async function tellUnplaceable(
  cohort: Cohort,
  unplaceable: ProposalsOutcome['unplaceable'],
  byEmail: Map<string, Participant>,
  deps: RematchDeps,
) {
  const at = deps.clock.now().toISOString();
  for (const { mentee, reason } of unplaceable) {
    const participant = byEmail.get(mentee);
    if (!participant) continue;
    await deps.notices.post(cohort.id, {
      at,
      kind: 'rematch-request',
      message: `Nobody can take ${participant.name} <${mentee}> as a new mentee (${reason}). They were told kindly; free a mentor's place (tandem capacity) and run tandem rematch ${cohort.id} --participant ${mentee} to try again.`,
    });
    await sendToParticipants(
      cohort,
      [
        {
          participant,
          audience: 'mentee',
          kind: 'rematch-unplaceable',
          round: cohort.completedRounds,
          thread: `participant-${participant.participantId}`,
        },
      ],
      deps,
    );
  }
}

const isRematchable = (participant: Participant | undefined): participant is Participant =>
  participant?.confirmed === true && isActive(participant);

function requireRunning(cohort: Cohort) {
  if (cohort.phase !== 'running') {
    throw conflict(
      `Cohort "${cohort.id}" is ${cohort.phase}: rematches happen while it runs, after the first matching.`,
    );
  }
}

import type { Participant } from '../cohorts/cohort.ts';
import { notFound } from '../errors.ts';
import type { Clock, CohortStore, NoticeBoard } from '../ports.ts';
import { loadCohort } from './load-cohort.ts';

/**
 * What the links in participants' emails do. Both work without a login (the token is the
 * proof) and are idempotent: following a link twice changes nothing the second time.
 */
export interface LinkOutcome {
  programName: string;
  firstTime: boolean;
}

export interface LinkDeps {
  store: CohortStore;
  clock: Clock;
  notices: NoticeBoard;
}

async function participantOf(store: CohortStore, token: string): Promise<Participant> {
  const participant = /^[a-z2-7]{10,40}$/.test(token)
    ? await store.findParticipantByLinkToken(token)
    : undefined;
  if (!participant) {
    throw notFound('This link is not valid. Please use the link in your most recent email from the program.');
  }
  return participant;
}

/** What a link's page shows before the participant acts on it. */
export async function describeLink(token: string, { store }: Pick<LinkDeps, 'store'>) {
  const participant = await participantOf(store, token);
  const cohort = await loadCohort(store, participant.cohortId);
  return {
    programName: cohort.program.name,
    confirmed: participant.confirmed,
    unsubscribed: Boolean(participant.unsubscribedAt),
  };
}

export async function confirmApplication(token: string, { store, clock }: LinkDeps): Promise<LinkOutcome> {
  const participant = await participantOf(store, token);
  const cohort = await loadCohort(store, participant.cohortId);
  const firstTime = await store.markParticipant(
    participant.cohortId,
    participant.email,
    'confirmedAt',
    clock.now(),
  );
  return { programName: cohort.program.name, firstTime };
}

/** One-click unsubscribe (RFC 8058): the participant is never emailed again in this cohort. */
export async function unsubscribe(token: string, { store, clock, notices }: LinkDeps): Promise<LinkOutcome> {
  const participant = await participantOf(store, token);
  const cohort = await loadCohort(store, participant.cohortId);
  const now = clock.now();
  const firstTime = await store.markParticipant(
    participant.cohortId,
    participant.email,
    'unsubscribedAt',
    now,
  );
  if (firstTime) {
    await notices.post(cohort.id, {
      at: now.toISOString(),
      kind: 'unsubscribe',
      message: `${participant.name} <${participant.email}> (${participant.role}) unsubscribed and will get no more emails.`,
    });
  }
  return { programName: cohort.program.name, firstTime };
}

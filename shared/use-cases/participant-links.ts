import { type Application, applicationCsvColumns } from '../applications/application-schema.ts';
import type { Participant } from '../cohorts/cohort.ts';
import { notFound } from '../errors.ts';
import type { CohortStore } from '../ports.ts';
import { loadCohort } from './load-cohort.ts';
import { exitParticipant, unsubscribeParticipant } from './participant-marks.ts';
import type { RematchDeps } from './rematch.ts';

/**
 * What the links in participants' emails do. Both work without a login (the token is the
 * proof) and are idempotent: following a link twice changes nothing the second time.
 */
export interface LinkOutcome {
  programName: string;
  firstTime: boolean;
}

/** Links act like the emails they answer: an exit ends pairs, queues partners for a rematch and confirms by email. */
export type LinkDeps = RematchDeps;

const invalidLink = () =>
  notFound('This link is not valid. Please use the link in your most recent email from the program.');

async function participantOf(store: CohortStore, token: string): Promise<Participant> {
  const participant = validToken(token) ? await store.findParticipantByLinkToken(token) : undefined;
  if (!participant) throw invalidLink();
  return participant;
}

const validToken = (token: string) => /^[a-z2-7]{10,40}$/.test(token);

/** A confirmation link: the participant's own (their application), or a change's. */
async function confirmationLinkOf(store: CohortStore, token: string, now: Date) {
  const link = validToken(token) ? await store.findLink(token, now) : undefined;
  if (!link) throw invalidLink();
  return link;
}

/** What a link's page shows before the participant acts on it: for a change, what it changes. */
export async function describeLink(token: string, { store, clock }: Pick<LinkDeps, 'store' | 'clock'>) {
  const { participant, change } = await confirmationLinkOf(store, token, clock.now());
  const cohort = await loadCohort(store, participant.cohortId);
  const pending = change !== undefined && participant.pendingChange?.number === change;
  return {
    programName: cohort.program.name,
    confirmed: participant.confirmed,
    unsubscribed: Boolean(participant.unsubscribedAt),
    /** The application as it stands, or as the change would make it. */
    application: pending ? { ...participant.pendingChange?.application } : applicationOf(participant),
    /** A change's link: whether that change still waits for confirmation. */
    ...(change === undefined ? {} : { change: { pending } }),
  };
}

/** The participant's application as they sent it (without the address, which the page omits). */
function applicationOf(participant: Participant): Partial<Application> {
  return Object.fromEntries(
    applicationCsvColumns
      .filter((column) => column !== 'email' && participant[column] !== undefined)
      .map((column) => [column, participant[column]]),
  );
}

/**
 * Confirms by link: the application (an applicant's own link), or a change to it (the link in
 * the email about that change), which is made only now. A change already made, or replaced by
 * a newer one, changes nothing.
 */
export async function confirmApplication(
  token: string,
  { store, clock }: LinkDeps,
): Promise<LinkOutcome & { change?: 'applied' | 'stale' | 'closed' }> {
  const now = clock.now();
  const { participant, change } = await confirmationLinkOf(store, token, now);
  const cohort = await loadCohort(store, participant.cohortId);
  if (change !== undefined) {
    const outcome = await store.applyChange(participant.cohortId, participant.email, change, now);
    return { programName: cohort.program.name, firstTime: outcome === 'applied', change: outcome };
  }
  const firstTime = await store.markParticipant(participant.cohortId, participant.email, 'confirmedAt', now);
  return { programName: cohort.program.name, firstTime };
}

/** One-click unsubscribe (RFC 8058): the participant is never emailed again in this cohort. */
export const unsubscribe = (token: string, deps: LinkDeps) =>
  markByLink(token, 'unsubscribedAt', unsubscribeParticipant, deps);

/**
 * The link in the email that asks a participant to confirm an "exit" Tandem could not verify:
 * a no-fault exit, as if they had replied from their own address.
 */
export const exitByLink = (token: string, deps: LinkDeps) =>
  markByLink(token, 'exitedAt', exitParticipant, deps);

async function markByLink(
  token: string,
  mark: 'unsubscribedAt' | 'exitedAt',
  act: typeof exitParticipant,
  deps: LinkDeps,
): Promise<LinkOutcome> {
  const participant = await participantOf(deps.store, token);
  const cohort = await loadCohort(deps.store, participant.cohortId);
  await act(cohort, participant, { at: deps.clock.now(), how: 'by link' }, deps);
  return { programName: cohort.program.name, firstTime: !participant[mark] };
}

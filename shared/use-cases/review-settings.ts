import type { Cohort, Participant } from '../cohorts/cohort.ts';
import { invalidInput, notFound } from '../errors.ts';
import { alreadyApproved } from '../matching/match-draft.ts';
import type { ReviewSettings } from '../matching/run-matching.ts';
import type { PairEmails } from '../matching/scoring.ts';
import type { CohortStore, MatchDraftStore } from '../ports.ts';
import { normalizeEmail } from '../validation/fields.ts';
import { loadCohort } from './load-cohort.ts';

export interface ReviewDeps {
  store: CohortStore;
  drafts: MatchDraftStore;
}

/** What a change of the review settings sees: the cohort, its participants, the settings now. */
export interface ReviewContext {
  cohort: Cohort;
  participants: Participant[];
  settings: ReviewSettings;
}

/** A pin or forbid request: the pair, and whether to take the pin or forbid away again. */
export interface PairRequest {
  mentee: string;
  mentor: string;
  remove?: boolean;
}

/** The cohort, its participants and its review, refused once a draft is approved. */
export async function openReview(cohortId: string, { store, drafts }: ReviewDeps) {
  const cohort = await loadCohort(store, cohortId);
  const [participants, review] = await Promise.all([
    store.listParticipants(cohortId),
    drafts.getReview(cohortId),
  ]);
  if (review.approvedDraft !== undefined) throw alreadyApproved(cohortId, review.approvedDraft);
  return { cohort, participants, review };
}

/**
 * Applies one organizer change to a cohort's review settings: reads them, lets `change`
 * return the new settings (or throw a user error), and saves with optimistic locking. The
 * store refuses any change once a draft is approved.
 */
export async function changeReviewSettings(
  cohortId: string,
  change: (context: ReviewContext) => ReviewSettings,
  deps: ReviewDeps,
): Promise<ReviewSettings> {
  const { cohort, participants, review } = await openReview(cohortId, deps);
  const settings = change({ cohort, participants, settings: review.settings });
  await deps.drafts.saveReviewSettings(cohortId, settings, review.version);
  return settings;
}

/** The participant with this email and role, or a plain error saying who is missing. */
export function participantOf(
  participants: readonly Participant[],
  email: string,
  role: 'mentor' | 'mentee',
): Participant {
  const wanted = normalizeEmail(email);
  const participant = participants.find((p) => p.email === wanted);
  if (!participant) throw notFound(`${wanted} has not applied to this cohort. Check the email.`);
  if (participant.role !== role) {
    throw invalidInput(`${wanted} applied as a ${participant.role}, not as a ${role}`, [
      {
        path: role,
        message: `${wanted} is a ${participant.role}`,
        hint: `give a ${role}'s email as --${role}`,
      },
    ]);
  }
  return participant;
}

export const samePair = (a: PairEmails, b: PairEmails) => a.mentee === b.mentee && a.mentor === b.mentor;

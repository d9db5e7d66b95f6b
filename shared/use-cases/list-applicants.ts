import type { Application } from '../applications/application-schema.ts';
import type { CohortStore } from '../ports.ts';
import { loadCohort } from './load-cohort.ts';

/** An applicant as the organizers see them: their answers and where they stand (never their link token). */
export interface Applicant extends Application {
  confirmed: boolean;
  /** How the applicant came in: they applied on the form, or an organizer imported them. */
  source: 'applicant' | 'import';
  appliedAt: string;
  /** Unsubscribed, undeliverable, paused or exited: since when. */
  unsubscribedAt?: string;
  undeliverableAt?: string;
  pausedAt?: string;
  exitedAt?: string;
  /** A change from the form waits for the applicant's confirmation. */
  changePending: boolean;
}

/** Every applicant of the cohort, mentors first, each by name. */
export async function listApplicants(cohortId: string, deps: { store: CohortStore }): Promise<Applicant[]> {
  await loadCohort(deps.store, cohortId);
  const participants = await deps.store.listParticipants(cohortId);
  return participants
    .map(
      (p): Applicant => ({
        email: p.email,
        name: p.name,
        role: p.role,
        ...(p.organization ? { organization: p.organization } : {}),
        years_experience: p.years_experience,
        topics: p.topics,
        timezone: p.timezone,
        languages: p.languages,
        ...(p.capacity !== undefined ? { capacity: p.capacity } : {}),
        preferred: p.preferred,
        avoid: p.avoid,
        confirmed: p.confirmed,
        source: p.consent.source,
        appliedAt: p.createdAt,
        ...(p.unsubscribedAt ? { unsubscribedAt: p.unsubscribedAt } : {}),
        ...(p.undeliverableAt ? { undeliverableAt: p.undeliverableAt } : {}),
        ...(p.pausedAt ? { pausedAt: p.pausedAt } : {}),
        ...(p.exitedAt ? { exitedAt: p.exitedAt } : {}),
        changePending: p.pendingChange !== undefined,
      }),
    )
    .sort((a, b) => (a.role === b.role ? a.name.localeCompare(b.name) : a.role === 'mentor' ? -1 : 1));
}

import { type CohortPhase, type IntakeState, intakeState } from '../cohorts/cohort.ts';
import type { Clock, CohortStore, EmailLedger, NoticeBoard, OrganizerNotice } from '../ports.ts';
import { loadCohort } from './load-cohort.ts';
import { keptUntil } from './personal-data.ts';

export interface CohortStatus {
  id: string;
  name: string;
  phase: CohortPhase;
  intake: { opens: string; closes: string; state: IntakeState };
  start: string;
  lengthMonths: number;
  cadence: string;
  participants: {
    mentors: number;
    mentees: number;
    confirmed: number;
    /** Mentees the mentors can take in total, counting the program default where none was given. */
    mentorCapacity: number;
    unsubscribed: number;
    undeliverable: number;
  };
  /** Emails Tandem gave up on, each also a notice. */
  deadLetters: number;
  /**
   * The last day the cohort's personal data is kept (`retentionDays` after its last day), and
   * once it was purged, when.
   */
  personalData: { keptUntil: string; purgedAt?: string };
  /** The latest things the organizer should know about, newest last. */
  notices: OrganizerNotice[];
}

/** How many of the latest notices the status shows. */
const recentNotices = 20;

export async function getCohortStatus(
  cohortId: string,
  {
    store,
    clock,
    ledger,
    notices,
  }: { store: CohortStore; clock: Clock; ledger: EmailLedger; notices: NoticeBoard },
): Promise<CohortStatus> {
  const cohort = await loadCohort(store, cohortId);
  const [participants, deadLetters, allNotices] = await Promise.all([
    store.listParticipants(cohortId),
    ledger.listDeadLetters(cohortId),
    notices.list(cohortId),
  ]);
  const mentors = participants.filter((p) => p.role === 'mentor');
  const { program } = cohort;
  return {
    id: cohort.id,
    name: program.name,
    phase: cohort.phase,
    intake: {
      opens: program.intake.opens,
      closes: program.intake.closes,
      state: intakeState(cohort, clock.now()),
    },
    start: program.start,
    lengthMonths: program.lengthMonths,
    cadence: program.cadence,
    participants: {
      mentors: mentors.length,
      mentees: participants.length - mentors.length,
      confirmed: participants.filter((p) => p.confirmed).length,
      mentorCapacity: mentors.reduce((sum, mentor) => sum + (mentor.capacity ?? program.mentorCapacity), 0),
      unsubscribed: participants.filter((p) => p.unsubscribedAt).length,
      undeliverable: participants.filter((p) => p.undeliverableAt).length,
    },
    deadLetters: deadLetters.length,
    personalData: { keptUntil: keptUntil(cohort), ...(cohort.purgedAt ? { purgedAt: cohort.purgedAt } : {}) },
    notices: allNotices.slice(-recentNotices),
  };
}

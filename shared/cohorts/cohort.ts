import { DateTime } from 'luxon';
import type { Application } from '../applications/application-schema.ts';
import type { PendingChange } from '../ports.ts';
import type { ScheduleChanges } from '../program/calendar.ts';
import type { Program } from '../program/program-schema.ts';

/** Where a cohort is in its life. Each phase is entered once, in this order. */
export const cohortPhases = ['intake', 'matching', 'review', 'running', 'closed'] as const;
export type CohortPhase = (typeof cohortPhases)[number];

export interface Cohort {
  id: string;
  program: Program;
  phase: CohortPhase;
  /** Pauses, extension and early end the organizers decided while the cohort runs. */
  schedule: ScheduleChanges;
  /** The last round whose digest went out; the workflow resumes after it. */
  completedRounds: number;
  /** The running Step Functions execution and the approval it waits for, if any. */
  workflow?: { executionName?: string; approvalToken?: string };
  /** Start of `intake.opens` in the program's time zone, as an ISO instant. */
  intakeOpensAt: string;
  /** End of `intake.closes` (exclusive) in the program's time zone, as an ISO instant. */
  intakeClosesAt: string;
  /**
   * When the cohort's personal data was purged (`retentionDays` after its last day): only its
   * report's figures, without names, remain.
   */
  purgedAt?: string;
  createdAt: string;
  updatedAt: string;
}

/** How the applicant agreed to be emailed: on the form themselves, or via an organizer's import. */
export type ConsentSource = 'applicant' | 'import';

export interface Participant extends Application {
  cohortId: string;
  /** Short random id: safe in SES tags and message headers, unlike the email address. */
  participantId: string;
  /** Secret in the participant's confirm and unsubscribe links; possessing it = getting their mail. */
  linkToken: string;
  consent: { source: ConsentSource; at: string };
  /** Applicants confirm by email before they can be matched, so nobody can sign someone else up. */
  confirmed: boolean;
  confirmedAt?: string;
  /** Set once; an unsubscribed participant is never mailed again in this cohort. */
  unsubscribedAt?: string;
  /** Set on a permanent bounce; Tandem stops mailing the address. */
  undeliverableAt?: string;
  /** Check-ins stop while set (the participant replied `pause`); cleared on `resume`. */
  pausedAt?: string;
  /** The participant left the program (no-fault exit). */
  exitedAt?: string;
  /** A change from the public form, waiting for the participant's confirmation. */
  pendingChange?: PendingChange;
  /** How many changes were made to the application from the form (numbers the next one). */
  changeRequests?: number;
  /** Action items from the participant's latest answer, quoted back in the next check-in. */
  lastActionItems?: string[];
  lastActionItemsRound?: number;
  createdAt: string;
  updatedAt: string;
}

export type ParticipantMark = 'confirmedAt' | 'unsubscribedAt' | 'undeliverableAt' | 'pausedAt' | 'exitedAt';

/** Whether Tandem may email this participant at all. */
export const isMailable = (participant: Participant) =>
  !participant.unsubscribedAt && !participant.undeliverableAt;

/** Whether the participant takes part in check-in rounds now. */
export const isActive = (participant: Participant) =>
  isMailable(participant) && !participant.pausedAt && !participant.exitedAt;

export function intakeWindow(program: Program): { opensAt: string; closesAt: string } {
  const zone = program.timezone;
  const opens = DateTime.fromISO(program.intake.opens, { zone }).startOf('day');
  const closes = DateTime.fromISO(program.intake.closes, { zone }).plus({ days: 1 }).startOf('day');
  return { opensAt: opens.toUTC().toISO() ?? '', closesAt: closes.toUTC().toISO() ?? '' };
}

export type IntakeState = 'not_yet_open' | 'open' | 'closed';

export function intakeState(cohort: Cohort, now: Date): IntakeState {
  if (cohort.phase !== 'intake') return 'closed';
  const at = now.toISOString();
  if (at < cohort.intakeOpensAt) return 'not_yet_open';
  return at < cohort.intakeClosesAt ? 'open' : 'closed';
}

import type { Application } from './applications/application-schema.ts';
import type { Cohort, ConsentSource, Participant } from './cohorts/cohort.ts';
import type { MatchDraft, MatchReview } from './matching/match-draft.ts';
import type { ReviewSettings } from './matching/run-matching.ts';

/**
 * What use cases need from the outside world. Lambda handlers, the local runner and tests
 * each pass their own implementations; use cases never import an AWS SDK.
 */

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface SaveApplicationInput {
  cohortId: string;
  application: Application;
  consentSource: ConsentSource;
  now: Date;
  /**
   * `window`: the cohort must be in intake and inside its dates (applicants).
   * `phase`: the cohort must be in intake, whatever the date (organizer imports).
   */
  require: 'window' | 'phase';
}

export interface CohortStore {
  /** Creates the cohort; throws a conflict when the id is taken. */
  createCohort(cohort: Cohort): Promise<void>;
  getCohort(cohortId: string): Promise<Cohort | undefined>;
  /**
   * Creates or updates the application of `application.email` in the cohort, atomically with
   * the intake check. Returns `created: false` when it replaced an earlier application.
   * Throws `IntakeClosedError` when the check fails.
   */
  saveApplication(input: SaveApplicationInput): Promise<{ created: boolean }>;
  listParticipants(cohortId: string): Promise<Participant[]>;
}

/** Drafts of a cohort's matching and the organizer's review settings. */
export interface MatchDraftStore {
  /** The review of a cohort; empty settings and no drafts when nothing was stored yet. */
  getReview(cohortId: string): Promise<MatchReview>;
  /**
   * Replaces the settings if the review is still at `version`. Throws a conflict when it
   * changed meanwhile or a draft is already approved.
   */
  saveReviewSettings(cohortId: string, settings: ReviewSettings, version: number): Promise<void>;
  /**
   * Stores a draft as number `review.drafts + 1`, atomically with the count, so two runs can
   * never get the same number. Throws a conflict when a draft is already approved.
   */
  addDraft(draft: Omit<MatchDraft, 'number' | 'status'>, review: MatchReview): Promise<MatchDraft>;
  getDraft(cohortId: string, number: number): Promise<MatchDraft | undefined>;
  /**
   * Approves a draft. Only one draft of a cohort is ever approved: a second approval, or
   * approving a draft that does not exist, throws (conflict, not found).
   */
  approveDraft(cohortId: string, number: number, at: Date): Promise<void>;
}

/** Thrown by a store when the intake condition failed at write time. */
export class IntakeClosedError extends Error {
  constructor() {
    super('intake is not open');
    this.name = 'IntakeClosedError';
  }
}

import type { Application } from './applications/application-schema.ts';
import type { Cohort, ConsentSource, Participant } from './cohorts/cohort.ts';

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

/** Thrown by a store when the intake condition failed at write time. */
export class IntakeClosedError extends Error {
  constructor() {
    super('intake is not open');
    this.name = 'IntakeClosedError';
  }
}

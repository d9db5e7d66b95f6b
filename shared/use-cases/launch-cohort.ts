import { type Cohort, intakeWindow } from '../cohorts/cohort.ts';
import type { Clock, CohortStore } from '../ports.ts';
import { noScheduleChanges } from '../program/calendar.ts';
import type { Program } from '../program/program-schema.ts';
import { slugify } from '../validation/fields.ts';

export interface LaunchCohortDeps {
  store: CohortStore;
  clock: Clock;
}

/** The id a program's cohort gets: its `id`, or one derived from its name. */
export const cohortIdOf = (program: Program) => program.id ?? slugify(program.name);

/** Creates the cohort for a validated program; intake opens on the program's dates. */
export async function launchCohort(program: Program, { store, clock }: LaunchCohortDeps): Promise<Cohort> {
  const now = clock.now().toISOString();
  const { opensAt, closesAt } = intakeWindow(program);
  const cohort: Cohort = {
    id: cohortIdOf(program),
    program,
    phase: 'intake',
    schedule: noScheduleChanges,
    completedRounds: 0,
    intakeOpensAt: opensAt,
    intakeClosesAt: closesAt,
    createdAt: now,
    updatedAt: now,
  };
  await store.createCohort(cohort);
  return cohort;
}

import type { Cohort } from '../cohorts/cohort.ts';
import { notFound } from '../errors.ts';
import type { CohortStore } from '../ports.ts';

export async function loadCohort(store: CohortStore, cohortId: string): Promise<Cohort> {
  const cohort = await store.getCohort(cohortId);
  if (!cohort) {
    throw notFound(
      `There is no cohort "${cohortId}". Check the id, or launch it with: tandem launch program.yaml`,
    );
  }
  return cohort;
}

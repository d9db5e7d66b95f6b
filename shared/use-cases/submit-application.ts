import { applicationHints, applicationRequestSchema } from '../applications/application-schema.ts';
import { type Cohort, intakeState } from '../cohorts/cohort.ts';
import { conflict, invalidInput } from '../errors.ts';
import { type Clock, type CohortStore, IntakeClosedError } from '../ports.ts';
import { issuesFromZod, knownKeysOf } from '../validation/zod-issues.ts';
import { loadCohort } from './load-cohort.ts';

export interface SubmitApplicationDeps {
  store: CohortStore;
  clock: Clock;
}

export interface SubmitApplicationResult {
  status: 'created' | 'updated';
  cohortId: string;
  email: string;
  role: 'mentor' | 'mentee';
}

const requestKeys = knownKeysOf(applicationRequestSchema);

/** An applicant applies (or re-applies, replacing their earlier application) while intake is open. */
export async function submitApplication(
  cohortId: string,
  body: unknown,
  { store, clock }: SubmitApplicationDeps,
): Promise<SubmitApplicationResult> {
  const parsed = applicationRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issues = issuesFromZod(parsed.error, applicationHints, requestKeys);
    throw invalidInput(
      `The application has ${issues.length === 1 ? '1 problem' : `${issues.length} problems`}`,
      issues,
    );
  }
  const { consent: _consent, ...application } = parsed.data;
  const now = clock.now();
  try {
    const { created } = await store.saveApplication({
      cohortId,
      application,
      consentSource: 'applicant',
      now,
      require: 'window',
    });
    return {
      status: created ? 'created' : 'updated',
      cohortId,
      email: application.email,
      role: application.role,
    };
  } catch (error) {
    if (!(error instanceof IntakeClosedError)) throw error;
    throw intakeClosed(await loadCohort(store, cohortId), now);
  }
}

export function intakeClosed(cohort: Cohort, now: Date) {
  const state = intakeState(cohort, now);
  const { opens, closes } = cohort.program.intake;
  if (state === 'not_yet_open') {
    return conflict(`Applications to ${cohort.program.name} open on ${opens}. Please apply then.`);
  }
  return conflict(
    `Applications to ${cohort.program.name} closed on ${closes}. Contact the organizers to join a later cohort.`,
  );
}

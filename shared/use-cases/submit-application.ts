import { applicationHints, applicationRequestSchema } from '../applications/application-schema.ts';
import { type Cohort, intakeState } from '../cohorts/cohort.ts';
import { conflict, invalidInput } from '../errors.ts';
import { IntakeClosedError } from '../ports.ts';
import { issuesFromZod, knownKeysOf } from '../validation/zod-issues.ts';
import { loadCohort } from './load-cohort.ts';
import { requestConfirmation } from './request-confirmation.ts';
import type { MailDeps } from './send-emails.ts';

export interface SubmitApplicationResult {
  status: 'created' | 'updated';
  cohortId: string;
  email: string;
  role: 'mentor' | 'mentee';
  /**
   * The "please confirm" email: `sent` now, `already-sent` earlier, `not-needed` for someone
   * already confirmed, or `pending` when it could not go out now (the intake sweep sends it
   * later; the application is saved either way).
   */
  confirmationEmail: 'sent' | 'already-sent' | 'not-needed' | 'pending';
}

const requestKeys = knownKeysOf(applicationRequestSchema);

/**
 * An applicant applies (or re-applies, replacing their earlier application) while intake is
 * open, and is asked by email to confirm it was them.
 */
export async function submitApplication(
  cohortId: string,
  body: unknown,
  deps: MailDeps,
): Promise<SubmitApplicationResult> {
  const { store, clock } = deps;
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
  let created: boolean;
  try {
    ({ created } = await store.saveApplication({
      cohortId,
      application,
      consentSource: 'applicant',
      now,
      require: 'window',
    }));
  } catch (error) {
    if (!(error instanceof IntakeClosedError)) throw error;
    throw intakeClosed(await loadCohort(store, cohortId), now);
  }
  const confirmationEmail = await requestConfirmation(cohortId, application.email, deps).then(
    (summary): SubmitApplicationResult['confirmationEmail'] => {
      if (summary.sent > 0) return 'sent';
      if (summary['already-sent'] + summary['in-flight'] + summary.suppressed > 0) return 'already-sent';
      return summary['dead-lettered'] + summary.deferred > 0 ? 'pending' : 'not-needed';
    },
    (): SubmitApplicationResult['confirmationEmail'] => 'pending',
  );
  return {
    status: created ? 'created' : 'updated',
    cohortId,
    email: application.email,
    role: application.role,
    confirmationEmail,
  };
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

import {
  type Application,
  applicationCsvColumns,
  applicationHints,
  applicationRequestSchema,
} from '../applications/application-schema.ts';
import { type Cohort, intakeState, type Participant } from '../cohorts/cohort.ts';
import { conflict, invalidInput, tooManyRequests } from '../errors.ts';
import { IntakeClosedError, IntakeFullError, type PendingChange } from '../ports.ts';
import { intakeLimitsOf } from '../program/program-schema.ts';
import { randomToken } from '../random-token.ts';
import { issuesFromZod, knownKeysOf } from '../validation/zod-issues.ts';
import { stableId } from './deliver-email.ts';
import { loadCohort } from './load-cohort.ts';
import { requestConfirmation } from './request-confirmation.ts';
import type { MailDeps } from './send-emails.ts';

/**
 * The answer to every accepted application, the same whatever the address's state (new, not
 * confirmed, confirmed, changed or not): the form tells nobody whether an address applied.
 */
export interface SubmitApplicationResult {
  status: 'received';
  cohortId: string;
  email: string;
  role: 'mentor' | 'mentee';
  message: string;
}

const requestKeys = knownKeysOf(applicationRequestSchema);
const hourMs = 3_600_000;
/** A change's link secret: as long as a participant's own. */
const changeTokenLength = 22;
/** Concurrent changes to one application (rare) number themselves again this many times. */
const changeAttempts = 3;

/**
 * An applicant applies while intake is open and is asked by email to confirm it was them. The
 * form is public: anyone can post any address. So a new address counts once its owner confirms;
 * a change to an existing application is kept aside and made only when the owner confirms it
 * (by the link in the email about it, or by replying "confirm"); and the form takes only so many
 * applications an hour, and so many unconfirmed addresses, per cohort (`intake.limits`).
 */
export async function submitApplication(
  cohortId: string,
  body: unknown,
  deps: MailDeps,
): Promise<SubmitApplicationResult> {
  const { consent: _consent, ...application } = parseApplication(body);
  const cohort = await loadCohort(deps.store, cohortId);
  const now = deps.clock.now();
  if (intakeState(cohort, now) !== 'open') throw intakeClosed(cohort, now);
  await countAgainstHourlyLimit(cohort, now, deps);

  const saved = await saveOrKeepAside(cohort, application, now, deps);
  // Emails go out within the cohort's hourly limit; the intake sweep sends the rest, and what
  // could not go now at all. The application is saved either way.
  if (saved !== 'unchanged')
    await requestConfirmation(cohortId, application.email, deps).catch(() => undefined);
  return {
    status: 'received',
    cohortId,
    email: application.email,
    role: application.role,
    message: `Thank you. Anything new in this application counts once it is confirmed from the inbox of ${application.email}: look there for our email (and in the spam folder).`,
  };
}

function parseApplication(body: unknown) {
  const parsed = applicationRequestSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issues = issuesFromZod(parsed.error, applicationHints, requestKeys);
  throw invalidInput(
    `The application has ${issues.length === 1 ? '1 problem' : `${issues.length} problems`}`,
    issues,
  );
}

async function countAgainstHourlyLimit(cohort: Cohort, now: Date, deps: MailDeps) {
  const hour = Math.floor(now.getTime() / hourMs);
  const granted = await deps.limits.take(
    {
      scope: `applications#${cohort.id}`,
      window: String(hour),
      limit: intakeLimitsOf(cohort.program).applicationsPerHour,
      expiresAt: new Date((hour + 2) * hourMs),
    },
    1,
  );
  if (granted === 0)
    throw tooManyRequests(
      `${cohort.program.name} has received a great many applications in the last hour. Please try again in an hour.`,
    );
}

/** Creates the application, or keeps a change aside for its owner to confirm. */
async function saveOrKeepAside(
  cohort: Cohort,
  application: Application,
  now: Date,
  deps: MailDeps,
): Promise<'created' | 'change' | 'unchanged'> {
  for (let attempt = 1; ; attempt++) {
    const existing = await deps.store.getParticipant(cohort.id, application.email);
    if (existing && sameApplication(existing, application)) return 'unchanged';
    const change: PendingChange = {
      application,
      number: (existing?.changeRequests ?? 0) + 1,
      token: randomToken(changeTokenLength),
      requestedAt: now.toISOString(),
    };
    try {
      const { created } = await deps.store.saveApplication({
        cohortId: cohort.id,
        application,
        consentSource: 'applicant',
        now,
        require: 'window',
        fromForm: { change, unconfirmedLimit: intakeLimitsOf(cohort.program).unconfirmed },
      });
      return created ? 'created' : 'change';
    } catch (error) {
      if (error instanceof IntakeClosedError) throw intakeClosed(cohort, now);
      if (error instanceof IntakeFullError) throw await intakeFull(cohort, now, deps);
      // Another change to the same application came first: number this one after it.
      if (attempt < changeAttempts && isConditionFailure(error)) continue;
      throw error;
    }
  }
}

const isConditionFailure = (error: unknown) =>
  (error as { name?: string }).name === 'TransactionCanceledException';

/** The application as it stands (or as its pending change would make it) already says this. */
function sameApplication(participant: Participant, application: Application): boolean {
  const current: Record<string, unknown> = participant.pendingChange?.application ?? participant;
  return applicationCsvColumns.every(
    (column) => JSON.stringify(current[column] ?? null) === JSON.stringify(application[column] ?? null),
  );
}

async function intakeFull(cohort: Cohort, now: Date, deps: MailDeps) {
  const day = now.toISOString().slice(0, 10);
  await deps.notices.post(
    cohort.id,
    {
      at: now.toISOString(),
      kind: 'workflow',
      message: `The application form refuses new addresses: ${intakeLimitsOf(cohort.program).unconfirmed} applicants have not confirmed yet (intake.limits.unconfirmed). If they are genuine, raise the limit in the program.`,
    },
    stableId('intake-full', cohort.id, day),
  );
  return tooManyRequests(
    `${cohort.program.name} has many applications waiting for confirmation. Please try again later.`,
  );
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

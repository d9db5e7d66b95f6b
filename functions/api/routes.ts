/**
 * The HTTP API, one row per route. The CDK stack creates a function and a route from each
 * row; the local API server dispatches to the same handler files, so both serve one API.
 */
export interface ApiRoute {
  /** `ANY`: the handler serves several methods (a link's GET page and its POST action). */
  method: 'GET' | 'POST' | 'ANY';
  path: string;
  /** File under functions/api/ that exports `handler`. */
  handler: string;
  /** `public` routes are for applicants and participants; `organizer` routes require IAM-signed requests. */
  access: 'public' | 'organizer';
  /** The handler emails people (needs SES permission). */
  sendsEmail?: boolean;
  /** The handler starts, stops or resumes cohort workflow executions. */
  controlsWorkflow?: boolean;
  /** Memory for the route's function, when the default is too small (matching a large cohort). */
  memorySize?: number;
  /**
   * Requests per second (and burst) API Gateway lets through to this route, under the stage's
   * own limit: public routes get less than organizers, so nobody can use one up for the other.
   */
  throttle?: { rateLimit: number; burstLimit: number };
}

/** What anyone on the internet may call: an applicant applies a few times, a link is followed once. */
const publicThrottle = { rateLimit: 5, burstLimit: 10 };

export const apiRoutes: readonly ApiRoute[] = [
  {
    method: 'POST',
    path: '/cohorts/{cohortId}/applications',
    handler: 'submit-application',
    access: 'public',
    sendsEmail: true,
    throttle: publicThrottle,
  },
  { method: 'POST', path: '/cohorts', handler: 'launch-cohort', access: 'organizer', controlsWorkflow: true },
  { method: 'GET', path: '/cohorts/{cohortId}', handler: 'get-cohort-status', access: 'organizer' },
  {
    method: 'POST',
    path: '/cohorts/{cohortId}/imports',
    handler: 'import-applications',
    access: 'organizer',
  },
  {
    method: 'GET',
    path: '/cohorts/{cohortId}/reply-address',
    handler: 'get-reply-address',
    access: 'organizer',
  },
  {
    method: 'ANY',
    path: '/confirm/{token}',
    handler: 'confirm-link',
    access: 'public',
    throttle: publicThrottle,
  },
  {
    method: 'ANY',
    path: '/unsubscribe/{token}',
    handler: 'unsubscribe-link',
    access: 'public',
    throttle: publicThrottle,
  },
  // Confirms an "exit" received from an address Tandem could not verify.
  {
    method: 'ANY',
    path: '/exit/{token}',
    handler: 'exit-link',
    access: 'public',
    sendsEmail: true,
    throttle: publicThrottle,
  },
  // Matching review: drafts, the organizer's settings, approval.
  // 1,769 MB is one full vCPU: matching 10,000 people takes a few seconds on it.
  {
    method: 'POST',
    path: '/cohorts/{cohortId}/drafts',
    handler: 'create-match-draft',
    access: 'organizer',
    memorySize: 1769,
  },
  {
    method: 'GET',
    path: '/cohorts/{cohortId}/drafts/{draft}',
    handler: 'get-match-draft',
    access: 'organizer',
  },
  {
    method: 'POST',
    path: '/cohorts/{cohortId}/drafts/{draft}/approval',
    handler: 'approve-match-draft',
    access: 'organizer',
    controlsWorkflow: true,
  },
  { method: 'POST', path: '/cohorts/{cohortId}/pins', handler: 'pin-pair', access: 'organizer' },
  { method: 'POST', path: '/cohorts/{cohortId}/forbids', handler: 'forbid-pair', access: 'organizer' },
  { method: 'POST', path: '/cohorts/{cohortId}/capacities', handler: 'set-capacity', access: 'organizer' },
  // Dead letters, sent again once the organizer fixed their cause.
  {
    method: 'POST',
    path: '/cohorts/{cohortId}/resend',
    handler: 'resend-dead-letters',
    access: 'organizer',
    sendsEmail: true,
  },
  // The organizers' controls of a running cohort: each restarts its workflow from the table.
  ...(['pause', 'resume', 'end', 'restart', 'extension'] as const).map(
    (action): ApiRoute => ({
      method: 'POST',
      path: `/cohorts/{cohortId}/${action}`,
      handler: 'control-cohort',
      access: 'organizer',
      controlsWorkflow: true,
    }),
  ),
];

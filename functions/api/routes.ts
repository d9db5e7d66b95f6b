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
}

export const apiRoutes: readonly ApiRoute[] = [
  {
    method: 'POST',
    path: '/cohorts/{cohortId}/applications',
    handler: 'submit-application',
    access: 'public',
    sendsEmail: true,
  },
  { method: 'POST', path: '/cohorts', handler: 'launch-cohort', access: 'organizer' },
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
  { method: 'ANY', path: '/confirm/{token}', handler: 'confirm-link', access: 'public' },
  { method: 'ANY', path: '/unsubscribe/{token}', handler: 'unsubscribe-link', access: 'public' },
];

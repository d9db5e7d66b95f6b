/**
 * The HTTP API, one row per route. The CDK stack creates a function and a route from each
 * row; the local API server dispatches to the same handler files, so both serve one API.
 */
export interface ApiRoute {
  method: 'GET' | 'POST';
  path: string;
  /** File under functions/api/ that exports `handler`. */
  handler: string;
  /** `public` routes are for applicants; `organizer` routes require IAM-signed requests. */
  access: 'public' | 'organizer';
}

export const apiRoutes: readonly ApiRoute[] = [
  {
    method: 'POST',
    path: '/cohorts/{cohortId}/applications',
    handler: 'submit-application',
    access: 'public',
  },
  { method: 'POST', path: '/cohorts', handler: 'launch-cohort', access: 'organizer' },
  { method: 'GET', path: '/cohorts/{cohortId}', handler: 'get-cohort-status', access: 'organizer' },
  {
    method: 'POST',
    path: '/cohorts/{cohortId}/imports',
    handler: 'import-applications',
    access: 'organizer',
  },
];

import type { FunctionNeeds } from '../function-needs.ts';

/**
 * The HTTP API, one row per route. The CDK stack creates a function and a route from each
 * row, granted exactly the row's needs (table access, email, workflow: see FunctionNeeds); the
 * local API server dispatches to the same handler files, so both serve one API.
 *
 * A route's `access` is all it takes to protect it: every route but a public one needs a
 * signed-in caller (API Gateway's JWT authorizer, or the local API the same way), and
 * `respond` (functions/http.ts) lets through only a caller allowed to act on the cohort named
 * by the route's `cohortParameter` (its organizers, admins, clients whose scope names it).
 */
export type ApiRoute = RouteBase &
  (
    | {
        access: 'public';
        /** Why this route takes no token (an acknowledged cdk-nag finding). */
        publicBecause: string;
      }
    | {
        access: 'organizer';
        /** The path parameter that names the cohort acted on. */
        cohortParameter: string;
      }
    | /** Admins only: launching a cohort, erasing a person from every cohort. */ { access: 'admin' }
    | /**
     * Any signed-in caller: the answer is only what the caller may see (the cohorts they
     * organize), so there is nothing to refuse.
     */ { access: 'signed-in' }
  );

interface RouteBase extends FunctionNeeds {
  /** `ANY`: the handler serves several methods (a link's GET page and its POST action). */
  method: 'GET' | 'POST' | 'ANY';
  path: string;
  /** File under functions/api/ that exports `handler`. */
  handler: string;
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
    publicBecause:
      'Applicants have no account by design: this route validates every field, is throttled on its own, and the form has limits of its own.',
    // The application, then its confirmation request (ledger, a new reply key).
    table: 'write',
    batchWrites: true,
    sendsEmail: true,
    throttle: publicThrottle,
  },
  // Where the CLI and the console sign in: the issuer and the client id.
  {
    method: 'GET',
    path: '/auth/config',
    handler: 'get-auth-config',
    access: 'public',
    publicBecause: 'Read before signing in: the issuer URL and the CLI app client id it returns are public.',
    // Answers from its environment.
    table: 'none',
    throttle: publicThrottle,
  },
  // The console's first page: the cohorts the caller organizes, each summed up from its report.
  {
    method: 'GET',
    path: '/cohorts',
    handler: 'list-cohorts',
    access: 'signed-in',
  },
  {
    method: 'POST',
    path: '/cohorts',
    handler: 'launch-cohort',
    access: 'admin',
    table: 'write',
    controlsWorkflow: true,
  },
  // The console's launch page: a program file checked at every line, and its emails, before launching.
  {
    method: 'POST',
    path: '/programs/preview',
    handler: 'preview-program',
    access: 'admin',
    // Nothing stored, nothing read: the program comes in the request.
    table: 'none',
  },
  {
    method: 'GET',
    path: '/cohorts/{cohortId}',
    handler: 'get-cohort-status',
    access: 'organizer',
    cohortParameter: 'cohortId',
  },
  // The applicants with their answers, confirmed or not.
  {
    method: 'GET',
    path: '/cohorts/{cohortId}/applicants',
    handler: 'list-applicants',
    access: 'organizer',
    cohortParameter: 'cohortId',
  },
  {
    method: 'POST',
    path: '/cohorts/{cohortId}/imports',
    handler: 'import-applications',
    access: 'organizer',
    cohortParameter: 'cohortId',
    table: 'write',
  },
  {
    method: 'GET',
    path: '/cohorts/{cohortId}/reply-address',
    handler: 'get-reply-address',
    access: 'organizer',
    cohortParameter: 'cohortId',
    // Creates the participant's reply key on first use.
    table: 'write',
  },
  // The confirmation of an application, or of a change to it; one-click unsubscribe.
  ...(['confirm', 'unsubscribe'] as const).map(
    (link): ApiRoute => ({
      method: 'ANY',
      path: `/${link}/{token}`,
      handler: `${link}-link`,
      access: 'public',
      publicBecause:
        'A participant follows this link from their email: the random token in the path is the credential.',
      table: 'write',
      throttle: publicThrottle,
    }),
  ),
  // Confirms an "exit" received from an address Tandem could not verify: ends the pairs, confirms by email.
  {
    method: 'ANY',
    path: '/exit/{token}',
    handler: 'exit-link',
    access: 'public',
    publicBecause:
      'A participant follows this link from their email: the random token in the path is the credential.',
    // The exit, its confirmation; the partner's rematch: introductions with new reply keys.
    table: 'write',
    batchWrites: true,
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
    cohortParameter: 'cohortId',
    table: 'write',
    memorySize: 1769,
  },
  {
    method: 'GET',
    path: '/cohorts/{cohortId}/drafts/{draft}',
    handler: 'get-match-draft',
    access: 'organizer',
    cohortParameter: 'cohortId',
  },
  {
    method: 'POST',
    path: '/cohorts/{cohortId}/drafts/{draft}/approval',
    handler: 'approve-match-draft',
    access: 'organizer',
    cohortParameter: 'cohortId',
    table: 'write',
    // The workflow waits for this answer; it is not started or stopped here.
    completesTasks: true,
  },
  {
    method: 'POST',
    path: '/cohorts/{cohortId}/pins',
    handler: 'pin-pair',
    access: 'organizer',
    cohortParameter: 'cohortId',
    table: 'write',
  },
  {
    method: 'POST',
    path: '/cohorts/{cohortId}/forbids',
    handler: 'forbid-pair',
    access: 'organizer',
    cohortParameter: 'cohortId',
    table: 'write',
  },
  {
    method: 'POST',
    path: '/cohorts/{cohortId}/capacities',
    handler: 'set-capacity',
    access: 'organizer',
    cohortParameter: 'cohortId',
    table: 'write',
  },
  // The organizers' actions on pairs while the cohort runs (also by replying to the digest).
  {
    method: 'GET',
    path: '/cohorts/{cohortId}/pairs',
    handler: 'list-pairs',
    access: 'organizer',
    cohortParameter: 'cohortId',
  },
  // A nudge to both sides of one pair: new reply keys for the round, the ledger, the emails.
  {
    method: 'POST',
    path: '/cohorts/{cohortId}/pairs/{pairId}/nudge',
    handler: 'nudge-pair',
    access: 'organizer',
    cohortParameter: 'cohortId',
    table: 'write',
    batchWrites: true,
    sendsEmail: true,
  },
  // Ending a pair, queueing a rematch, approving proposals: each may propose (organizers' email)
  // or form new pairs (introductions with new reply keys).
  ...(
    [
      ['/cohorts/{cohortId}/pairs/{pairId}/close', 'close-pair'],
      ['/cohorts/{cohortId}/rematches', 'request-rematch'],
      ['/cohorts/{cohortId}/rematches/approve', 'approve-rematches'],
    ] as const
  ).map(
    ([path, handler]): ApiRoute => ({
      method: 'POST',
      path,
      handler,
      access: 'organizer',
      cohortParameter: 'cohortId',
      table: 'write',
      batchWrites: true,
      sendsEmail: true,
    }),
  ),
  // Dead letters, sent again once the organizer fixed their cause; each cleared once sent.
  {
    method: 'POST',
    path: '/cohorts/{cohortId}/resend',
    handler: 'resend-dead-letters',
    access: 'organizer',
    cohortParameter: 'cohortId',
    table: 'write',
    sendsEmail: true,
  },
  // The cohort's report, and its records before its personal data is purged.
  {
    method: 'GET',
    path: '/cohorts/{cohortId}/report',
    handler: 'get-cohort-report',
    access: 'organizer',
    cohortParameter: 'cohortId',
  },
  {
    method: 'GET',
    path: '/cohorts/{cohortId}/export',
    handler: 'export-cohort',
    access: 'organizer',
    cohortParameter: 'cohortId',
  },
  // Erasure on request: one person, from every cohort (admins: it reaches across cohorts); their
  // address stays only as a hash.
  {
    method: 'POST',
    path: '/erasures',
    handler: 'forget-person',
    access: 'admin',
    // The suppression item and redactions are puts; the deletions go in BatchWriteItem requests.
    table: 'write',
    batchWrites: true,
  },
  // The organizers' controls of a running cohort: each restarts its workflow from the table.
  ...(['pause', 'resume', 'end', 'restart', 'extension'] as const).map(
    (action): ApiRoute => ({
      method: 'POST',
      path: `/cohorts/{cohortId}/${action}`,
      handler: 'control-cohort',
      access: 'organizer',
      cohortParameter: 'cohortId',
      table: 'write',
      controlsWorkflow: true,
    }),
  ),
];

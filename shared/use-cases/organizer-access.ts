import { forbidden } from '../errors.ts';
import type { CohortStore } from '../ports.ts';
import type { Program } from '../program/program-schema.ts';

/**
 * Who may act on a cohort. The same decision on AWS and locally: the token is verified before
 * (by API Gateway's JWT authorizer, or the local API the same way); this module decides what
 * the verified caller may do.
 *
 * - A signed-in person acts on the cohorts whose program lists their email in `organizers`.
 * - Admins (the `admins` group) act on every cohort, and they alone launch cohorts.
 * - A script signs in as a client (client credentials): it has no email, and its scope names
 *   what it may do: `tandem/cohort:<cohort id>` for each cohort, `tandem/admin` for everything.
 */
export interface Caller {
  /** The token's subject: a person's id, or the client's id for client credentials. For logs. */
  subject: string;
  /** A signed-in person's verified email (lower case); absent for a client. */
  email?: string;
  /** In the admins group, or a client granted the admin scope. */
  admin: boolean;
  /** The cohorts a client's scope names. */
  cohorts: readonly string[];
}

/** The user-pool group whose members see every cohort and launch cohorts. */
export const adminsGroup = 'admins';
/** The resource server of Tandem's API: custom scopes are `tandem/<name>`. */
export const scopePrefix = 'tandem/';
export const adminScope = `${scopePrefix}admin`;
const cohortScopePrefix = `${scopePrefix}cohort:`;
/** The scope that lets a client act on one cohort. */
export const cohortScope = (cohortId: string) => `${cohortScopePrefix}${cohortId}`;

/**
 * Who a verified access token names, from its claims: as the JWT has them, or as API
 * Gateway's JWT authorizer passes them on (every value a string, lists written `[a b]`). ID
 * tokens (`token_use: id`) name nobody: only access tokens are meant for an API.
 */
export function callerFromClaims(claims: Record<string, unknown>): Caller | undefined {
  const subject = claims.sub;
  if (typeof subject !== 'string' || subject === '') return undefined;
  if (claims.token_use !== undefined && claims.token_use !== 'access') return undefined;
  const scope = listClaim(claims.scope);
  const email =
    typeof claims.email === 'string' && claims.email !== '' ? claims.email.toLowerCase() : undefined;
  return {
    subject,
    ...(email ? { email } : {}),
    admin: listClaim(claims['cognito:groups']).includes(adminsGroup) || scope.includes(adminScope),
    cohorts: scope
      .filter((s) => s.startsWith(cohortScopePrefix))
      .map((s) => s.slice(cohortScopePrefix.length)),
  };
}

/** A list claim as JSON (an array), as API Gateway passes it on (`[a b]`), or as OAuth writes a scope (`a b`). */
export function listClaim(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  const inner = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
  return inner.split(/[\s,]+/).filter(Boolean);
}

/** Whether the caller organizes this program's cohort (admins organize them all). */
export function canOrganize(caller: Caller, cohortId: string, program: Pick<Program, 'organizers'>): boolean {
  if (caller.admin || caller.cohorts.includes(cohortId)) return true;
  const email = caller.email;
  return email !== undefined && program.organizers.some((organizer) => organizer.email === email);
}

export type AccessNeed = { cohortId: string } | { admin: true };

/**
 * Refuses (403) a caller who may not do this. A person who does not organize the cohort is
 * refused in the same words whether or not the cohort exists, so the answer never tells.
 */
export async function requireAccess(
  caller: Caller,
  need: AccessNeed,
  deps: { store: Pick<CohortStore, 'getCohort'> },
): Promise<void> {
  if (caller.admin) return;
  if ('admin' in need) {
    throw forbidden(
      caller.email === undefined
        ? `Only admins launch cohorts: this client's scope does not include ${adminScope}.`
        : `Only admins launch cohorts, and ${caller.email} is not one. Ask an admin to launch it, or to add you to the "${adminsGroup}" group.`,
    );
  }
  const { cohortId } = need;
  if (caller.cohorts.includes(cohortId)) return;
  const cohort = caller.email === undefined ? undefined : await deps.store.getCohort(cohortId);
  if (cohort && canOrganize(caller, cohortId, cohort.program)) return;
  throw forbidden(
    caller.email === undefined
      ? `This client may not act on cohort "${cohortId}": its scope does not include ${cohortScope(cohortId)}.`
      : `${caller.email} may not act on cohort "${cohortId}": only its organizers (listed in its program) and admins can.`,
  );
}

/**
 * The single Tandem table: its key schema (shared by the CDK stack and the local engine) and
 * the key builders every adapter uses. Access patterns are listed in docs/access-patterns.md.
 */
export const tableDesign = {
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'expiresAt',
  indexes: [{ indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
} as const;

const cohortPk = (cohortId: string) => `COHORT#${cohortId}`;

export const keys = {
  cohort: (cohortId: string) => ({ pk: cohortPk(cohortId), sk: 'COHORT' }),
  participant: (cohortId: string, email: string) => ({ pk: cohortPk(cohortId), sk: `PARTICIPANT#${email}` }),
  participantPrefix: 'PARTICIPANT#',
  cohortPk,
  /** gsi1: every cohort, newest last. */
  cohortListing: (createdAt: string, cohortId: string) => ({
    gsi1pk: 'COHORTS',
    gsi1sk: `${createdAt}#${cohortId}`,
  }),
  /** gsi1: every cohort a person is in, by email (bounces, complaints, inbound senders). */
  personListing: (email: string, cohortId: string) => ({
    gsi1pk: `EMAIL#${email}`,
    gsi1sk: cohortPk(cohortId),
  }),
} as const;

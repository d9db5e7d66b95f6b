import { createHash } from 'node:crypto';
import type { LedgerKey } from '../../email/outbound-email.ts';

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
/** Fixed width, so drafts sort by number and one draft's prefix never matches another's. */
const draftSk = (number: number) => `DRAFT#${String(number).padStart(6, '0')}`;

export const keys = {
  cohort: (cohortId: string) => ({ pk: cohortPk(cohortId), sk: 'COHORT' }),
  participant: (cohortId: string, email: string) => ({ pk: cohortPk(cohortId), sk: `PARTICIPANT#${email}` }),
  participantPrefix: 'PARTICIPANT#',
  /** How many applicants from the form wait for confirmation (the intake's cap). */
  intakeCounts: (cohortId: string) => ({ pk: cohortPk(cohortId), sk: 'INTAKE_COUNTS' }),
  cohortPk,
  pair: (cohortId: string, pairId: string) => ({ pk: cohortPk(cohortId), sk: `PAIR#${pairId}` }),
  pairPrefix: 'PAIR#',
  /** What a participant answered in a round. */
  answer: (cohortId: string, round: number, participantId: string) => ({
    pk: cohortPk(cohortId),
    sk: `ANSWER#${String(round).padStart(3, '0')}#${participantId}`,
  }),
  answerPrefix: (round: number) => `ANSWER#${String(round).padStart(3, '0')}#`,
  answersPrefix: 'ANSWER#',
  /** The email ledger: one item per cohort, recipient, message kind and round. */
  send: (key: LedgerKey) => ({
    pk: cohortPk(key.cohortId),
    sk: `SEND#${key.recipientId}#${key.kind}#${String(key.round).padStart(3, '0')}`,
  }),
  sendPrefix: 'SEND#',
  /** A message Tandem gave up on, for the organizer. */
  deadLetter: (key: LedgerKey) => ({
    pk: cohortPk(key.cohortId),
    sk: `DEADLETTER#${key.recipientId}#${key.kind}#${String(key.round).padStart(3, '0')}`,
  }),
  deadLetterPrefix: 'DEADLETTER#',
  /** The composed copy of a dead letter, for `tandem resend` (personal: it expires). */
  resendCopy: (key: LedgerKey) => ({
    pk: cohortPk(key.cohortId),
    sk: `RESEND#${key.recipientId}#${key.kind}#${String(key.round).padStart(3, '0')}`,
  }),
  resendCopyPrefix: 'RESEND#',
  /** Reply key → its participant and round. */
  replyKey: (key: string) => ({ pk: `REPLYKEY#${key}`, sk: 'REPLYKEY' }),
  /**
   * Participant and round → their reply key (so each pair of them is created once); a change
   * to confirm has a key of its own.
   */
  replyKeyOf: (cohortId: string, participantId: string, round: number, change?: number) => ({
    pk: cohortPk(cohortId),
    sk: `REPLYTO#${participantId}#${String(round).padStart(3, '0')}${change === undefined ? '' : `#CHANGE#${change}`}`,
  }),
  replyKeyPrefix: 'REPLYTO#',
  /** Something an organizer must hear about, newest last. */
  notice: (cohortId: string, at: string, id: string) => ({
    pk: cohortPk(cohortId),
    sk: `NOTICE#${at}#${id}`,
  }),
  noticePrefix: 'NOTICE#',
  /** A notice posted with an id: the guard that makes posting it again add nothing. */
  noticeGuard: (cohortId: string, id: string) => ({ pk: cohortPk(cohortId), sk: `NOTICEID#${id}` }),
  /**
   * What became of an inbound message; messages that lead to no cohort are kept apart. The
   * Message-ID is the sender's, of any length: hashed, it always fits a sort key (1 KB).
   */
  inbound: (cohortId: string | undefined, messageId: string) => ({
    pk: cohortId ? cohortPk(cohortId) : 'INBOUND',
    sk: `INBOUND#${createHash('sha256').update(messageId).digest('hex')}`,
  }),
  inboundPrefix: 'INBOUND#',
  /** A participant's link token (confirm, unsubscribe) → the participant. */
  link: (token: string) => ({ pk: `LINK#${token}`, sk: 'LINK' }),
  /** The organizer's review of the matching: settings, draft count, the approved draft. */
  matchReview: (cohortId: string) => ({ pk: cohortPk(cohortId), sk: 'MATCH_REVIEW' }),
  /** A draft's header: status, summary, settings. */
  matchDraft: (cohortId: string, number: number) => ({ pk: cohortPk(cohortId), sk: draftSk(number) }),
  /** The pairs of a draft, in parts that fit DynamoDB's item size. */
  matchDraftPart: (cohortId: string, number: number, part: number) => ({
    pk: cohortPk(cohortId),
    sk: `${draftSk(number)}#PART#${String(part).padStart(3, '0')}`,
  }),
  matchDraftPrefix: draftSk,
  /** Someone in the cohort's rematch queue for the pair they leave, and what became of it. */
  rematch: (cohortId: string, email: string, previousPairId = '') => ({
    pk: cohortPk(cohortId),
    sk: `REMATCH#${email}#${previousPairId}`,
  }),
  rematchPrefix: 'REMATCH#',
  /** A digest's numbered items, for the organizers' replies to it. */
  digestItems: (cohortId: string, round: number) => ({
    pk: cohortPk(cohortId),
    sk: `DIGEST#${String(round).padStart(3, '0')}`,
  }),
  /** The cohort's report figures, anonymized when its personal data was purged (in parts). */
  archivePart: (cohortId: string, part: number) => ({
    pk: cohortPk(cohortId),
    sk: `ARCHIVE#${String(part).padStart(3, '0')}`,
  }),
  archivePrefix: 'ARCHIVE#',
  /** An address that gets no more mail (a person who asked to be forgotten): its hash only. */
  suppression: (addressHash: string) => ({ pk: `SUPPRESSED#${addressHash}`, sk: 'SUPPRESSED' }),
  /**
   * Rate limits live in partitions of their own (`RATE#<scope>`), which no cohort id can
   * reach, one item per window, and expire by TTL.
   */
  rate: (scope: string, window: string) => ({ pk: `RATE#${scope}`, sk: `WINDOW#${window}` }),
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
  /** gsi1: every reply key of a cohort, so the purge finds each (a racing worker may add a second). */
  replyKeyListing: (cohortId: string, key: string) => ({ gsi1pk: `REPLYKEYS#${cohortId}`, gsi1sk: key }),
  /** gsi1: every change link of a cohort, so the purge finds each (an old change's link has no pointer). */
  changeLinkListing: (cohortId: string, token: string) => ({
    gsi1pk: `CHANGELINKS#${cohortId}`,
    gsi1sk: token,
  }),
} as const;

import type { Application } from './applications/application-schema.ts';
import type { Answer, ReplyContent } from './cohorts/answer.ts';
import type { Cohort, CohortPhase, ConsentSource, Participant, ParticipantMark } from './cohorts/cohort.ts';
import type { DigestItems } from './cohorts/digest-items.ts';
import type { Pair, PairEndKind, PairLadder } from './cohorts/pair.ts';
import type { RematchRequest } from './cohorts/rematch.ts';
import type { LedgerKey, OutboundEmail } from './email/outbound-email.ts';
import type { MatchDraft, MatchReview } from './matching/match-draft.ts';
import type { ReviewSettings } from './matching/run-matching.ts';
import type { CohortReportData } from './report/cohort-report.ts';

/**
 * What use cases need from the outside world. Lambda handlers, the local runner and tests
 * each pass their own implementations; use cases never import an AWS SDK.
 */

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface SaveApplicationInput {
  cohortId: string;
  application: Application;
  consentSource: ConsentSource;
  now: Date;
  /**
   * `window`: the cohort must be in intake and inside its dates (applicants).
   * `phase`: the cohort must be in intake, whatever the date (organizer imports).
   */
  require: 'window' | 'phase';
  /**
   * From the public form: an existing application is not changed but gets this change, which
   * its owner confirms (`applyChange`); a new one counts against `unconfirmedLimit`.
   * Without it (organizer imports), an existing application is replaced at once.
   */
  fromForm?: { change: PendingChange; unconfirmedLimit: number };
}

/** A change to an application, waiting for its owner's confirmation. */
export interface PendingChange {
  application: Application;
  /** 1 for the first change of this application, and so on: the change email's ledger round. */
  number: number;
  /** The secret of the change's confirmation link. */
  token: string;
  requestedAt: string;
}

export type CohortPatch = Partial<
  Pick<Cohort, 'phase' | 'schedule' | 'completedRounds' | 'workflow' | 'purgedAt'>
>;
export interface CohortCondition {
  phaseIn?: CohortPhase[];
  completedRoundsBelow?: number;
}

export interface CohortStore {
  /** Creates the cohort; throws a conflict when the id is taken. */
  createCohort(cohort: Cohort): Promise<void>;
  getCohort(cohortId: string): Promise<Cohort | undefined>;
  /** Every cohort, oldest first (the console's list; each caller sees those they may). */
  listCohorts(): Promise<Cohort[]>;
  /**
   * Creates or updates the application of `application.email` in the cohort, atomically with
   * the intake check. Returns `created: false` when it replaced an earlier application.
   * Throws `IntakeClosedError` when the check fails.
   */
  saveApplication(input: SaveApplicationInput): Promise<{ created: boolean }>;
  /**
   * Makes the pending change number `number` the application, and confirms the participant:
   * `stale` when that change is no longer the pending one (made, or replaced by a newer one),
   * `closed` when intake is over.
   */
  applyChange(
    cohortId: string,
    email: string,
    number: number,
    now: Date,
  ): Promise<'applied' | 'stale' | 'closed'>;
  listParticipants(cohortId: string): Promise<Participant[]>;
  /**
   * Changes the cohort if the condition holds (phase among `phaseIn`, fewer completed rounds
   * than `completedRoundsBelow`); false when it did not. Workflow steps use it to move the
   * cohort on exactly once, however often they run.
   */
  updateCohort(cohortId: string, patch: CohortPatch, condition?: CohortCondition): Promise<boolean>;
  getParticipant(cohortId: string, email: string): Promise<Participant | undefined>;
  findParticipantByLinkToken(token: string): Promise<Participant | undefined>;
  /** A link token: a participant's own, or a change's (`change` is its number; it expires). */
  findLink(token: string, now: Date): Promise<{ participant: Participant; change?: number } | undefined>;
  /** Every cohort in which this email applied. */
  findCohortIdsOfEmail(email: string): Promise<string[]>;
  /** Sets the timestamp once; false when it was already set or the participant does not exist. */
  markParticipant(cohortId: string, email: string, mark: ParticipantMark, now: Date): Promise<boolean>;
  /** Removes a mark (only `pausedAt`: resuming); false when it was not set. */
  clearParticipantMark(cohortId: string, email: string, mark: 'pausedAt', now: Date): Promise<boolean>;
}

/** Drafts of a cohort's matching and the organizer's review settings. */
export interface MatchDraftStore {
  /** The review of a cohort; empty settings and no drafts when nothing was stored yet. */
  getReview(cohortId: string): Promise<MatchReview>;
  /**
   * Replaces the settings if the review is still at `version`. Throws a conflict when it
   * changed meanwhile or a draft is already approved.
   */
  saveReviewSettings(cohortId: string, settings: ReviewSettings, version: number): Promise<void>;
  /**
   * Stores a draft as number `review.drafts + 1`, atomically with the count, so two runs can
   * never get the same number. Throws a conflict when a draft is already approved.
   */
  addDraft(draft: Omit<MatchDraft, 'number' | 'status'>, review: MatchReview): Promise<MatchDraft>;
  getDraft(cohortId: string, number: number): Promise<MatchDraft | undefined>;
  /**
   * Approves a draft. Only one draft of a cohort is ever approved: a second approval, or
   * approving a draft that does not exist, throws (conflict, not found).
   */
  approveDraft(cohortId: string, number: number, at: Date): Promise<void>;
}

/** Thrown by a store when too many applications from the form wait for confirmation. */
export class IntakeFullError extends Error {
  constructor() {
    super('too many unconfirmed applications');
    this.name = 'IntakeFullError';
  }
}

/** Thrown by a store when the intake condition failed at write time. */
export class IntakeClosedError extends Error {
  constructor() {
    super('intake is not open');
    this.name = 'IntakeClosedError';
  }
}

/** Sends one email through the provider (SES). Throws on failure; never retries by itself. */
export interface Mailer {
  send(email: OutboundEmail): Promise<{ providerMessageId: string }>;
}

/**
 * A count shared by every caller at once (every Lambda): the account's SES sends in a second,
 * a cohort's applications in an hour, courtesy replies in a day. `scope` names what is counted
 * (hashed where it names a person), `window` the period; the counter expires after `expiresAt`.
 */
export interface RateCounter {
  scope: string;
  window: string;
  limit: number;
  expiresAt: Date;
}

export interface RateLimits {
  /** Counts up to `wanted` more against the counter's limit: how many it got (0: none left). */
  take(counter: RateCounter, wanted: number): Promise<number>;
}

export type ClaimResult =
  | { outcome: 'claimed'; claimToken: string }
  /** Already sent, or given up and dead-lettered: never send again. */
  | { outcome: 'done' }
  /** Another worker holds a fresh claim, or a crashed one whose fate SES has not told yet. */
  | { outcome: 'in-flight' }
  /** The participant unsubscribed or bounced, or the address asked to be forgotten: nothing is sent. */
  | { outcome: 'suppressed' };

export type ReopenResult =
  | Exclude<ClaimResult, { outcome: 'claimed' }>
  | { outcome: 'expired' }
  | { outcome: 'claimed'; claimToken: string; copy: DeadLetterCopy };

/** What `tandem resend` needs to send a dead letter again as it was. */
export interface DeadLetterCopy {
  email: OutboundEmail;
  /** The participant it is for: the resend checks they may still be mailed. */
  participantEmail?: string;
}

export interface LedgerEntry {
  key: LedgerKey;
  status: 'sending' | 'sent' | 'failed';
  claimedAt: string;
  attempts: number;
  providerMessageId?: string;
  sentAt?: string;
  error?: string;
}

/**
 * Who a claim is for: `participantEmail` makes it fail for a participant who unsubscribed or
 * bounced; `recipientEmail` (every message's address) for an address on the suppression list.
 */
export interface ClaimRecipient {
  participantEmail?: string;
  recipientEmail?: string;
}

/**
 * The record of every message sent. `claim` is a conditional write made *before* sending;
 * `markSent` after. A claim left behind by a crash is resolved by the provider's own account
 * of what it accepted (`recordAccepted`, fed by SES events) or, failing that, by its lease
 * running out, which proves SES never accepted it.
 */
export interface EmailLedger {
  claim(key: LedgerKey, options: { now: Date; leaseMs: number } & ClaimRecipient): Promise<ClaimResult>;
  /**
   * `claim` for many messages, results in their order: new ones are claimed together (a few
   * dozen a request on DynamoDB); a group in which any claim fails is claimed one by one.
   */
  claimAll(
    claims: ({ key: LedgerKey } & ClaimRecipient)[],
    options: { now: Date; leaseMs: number },
  ): Promise<ClaimResult[]>;
  markSent(key: LedgerKey, claimToken: string, providerMessageId: string, now: Date): Promise<void>;
  /** `markSent` for many messages: together where the store can. */
  markAllSent(
    sent: { key: LedgerKey; claimToken: string; providerMessageId: string }[],
    now: Date,
  ): Promise<void>;
  /**
   * Gives up on the message and files a dead letter the organizer sees, with a copy of the
   * message (kept a few weeks) that `tandem resend` sends once the cause is fixed.
   */
  markFailed(
    key: LedgerKey,
    claimToken: string,
    error: string,
    now: Date,
    copy?: DeadLetterCopy,
  ): Promise<void>;
  /**
   * SES refused the message for now (daily quota, sending paused): the claim is given back at
   * once, so the next run sends it. Only for a refusal, which proves SES did not take it.
   */
  release(key: LedgerKey, claimToken: string, reason: string, now: Date): Promise<void>;
  /**
   * Claims a dead letter again, to resend its copy: `claimed` with the copy, `done` when it was
   * sent meanwhile (the dead letter is cleared), `expired` when its copy is gone, or the
   * claim's other outcomes.
   */
  reopen(key: LedgerKey, options: { now: Date; leaseMs: number }): Promise<ReopenResult>;
  /** The message went out after all (or needs nothing more): its dead letter is cleared. */
  clearDeadLetter(key: LedgerKey, now: Date): Promise<void>;
  /**
   * The provider says it accepted these messages (SES `Send` and `Delivery` events, a batch at a
   * time): each one not yet marked sent is settled; keys this ledger never claimed are ignored.
   */
  recordAccepted(accepted: { key: LedgerKey; providerMessageId?: string }[], now: Date): Promise<void>;
  get(key: LedgerKey): Promise<LedgerEntry | undefined>;
  /**
   * The ids (`ledgerId`) of those keys with nothing left to do: sent, or dead-lettered. A wave
   * skips them without a claim each; the claim stays what guarantees once.
   */
  settled(keys: LedgerKey[]): Promise<Set<string>>;
  listDeadLetters(cohortId: string): Promise<LedgerEntry[]>;
  /** Every message of the cohort that went out (marked sent, or reported accepted by SES). */
  sentMessages(cohortId: string): Promise<LedgerKey[]>;
  /**
   * Whether the address is on the suppression list (someone who asked to be forgotten). Claims
   * refuse it by themselves; mail sent without a claim (a courtesy reply) asks first.
   */
  isSuppressed(email: string): Promise<boolean>;
}

export interface ReplyKeyTarget {
  cohortId: string;
  participantId: string;
  email: string;
  round: number;
  /** The key of a change's confirmation email: a reply confirms change number `change`. */
  change?: number;
}

/** Everything receiving a reply needs to know about its reply key's participant and round. */
export interface ReplyContext {
  cohort?: Cohort;
  participant?: Participant;
  /** The message was handled before (SES or Lambda delivered it again). */
  seen: boolean;
  /** The participant's answer for the round so far; `null` when there is none. */
  answer: StoredAnswer | null;
}

/** Reads a reply's context all at once: one request where the store allows it. */
export interface ReplyContextReader {
  read(target: ReplyKeyTarget, messageId: string): Promise<ReplyContext>;
}

/** Opaque keys in `reply+KEY@…` addresses: random, stored, one per participant and round. */
export interface ReplyKeyStore {
  replyKeyFor(target: ReplyKeyTarget): Promise<string>;
  /** The keys of many targets (a wave's batch), in their order: one read for those that exist. */
  replyKeysFor(targets: ReplyKeyTarget[]): Promise<string[]>;
  /** The key's participant and round; undefined for an unknown key, or one expired by `now`. */
  resolve(key: string, now?: Date): Promise<ReplyKeyTarget | undefined>;
  /**
   * Ends the cohort's keys at `expiresAt` (its close, plus a grace period in which a late reply
   * still learns that the cohort has ended); TTL then removes them.
   */
  expireCohort(cohortId: string, expiresAt: Date): Promise<void>;
}

export interface OrganizerNotice {
  at: string;
  kind:
    | 'bounce'
    | 'complaint'
    | 'unsubscribe'
    | 'dead-letter'
    | 'held-reply'
    | 'rematch-request'
    | 'pair-closed'
    | 'exit'
    | 'pause'
    | 'erasure'
    | 'workflow';
  message: string;
}

/** What organizers must hear about: listed in their digest and in `tandem status`. */
export interface NoticeBoard {
  /** Posts a notice; with an `id`, posting the same notice again (a retried event) adds nothing. */
  post(cohortId: string, notice: OrganizerNotice, id?: string): Promise<void>;
  list(cohortId: string, since?: string): Promise<OrganizerNotice[]>;
}

export interface PairStore {
  /** Adds the pair unless its id exists; false when it already did. */
  addPair(pair: Pair): Promise<boolean>;
  listPairs(cohortId: string): Promise<Pair[]>;
  getPair(cohortId: string, pairId: string): Promise<Pair | undefined>;
  /** Ends an active pair (with how it ended, for the report); false when it was not active. */
  endPair(cohortId: string, pairId: string, reason: string, now: Date, kind?: PairEndKind): Promise<boolean>;
  /** Records where the pair stands on the engagement ladder (the whole ladder, replaced). */
  setLadder(cohortId: string, pairId: string, ladder: PairLadder): Promise<void>;
}

export interface RecordReplyInput {
  cohortId: string;
  round: number;
  participantId: string;
  email: string;
  content: ReplyContent;
  messageId: string;
  receivedAt: string;
  text: string;
  /**
   * The message's entry in the inbound log, written with the answer (its outcome is the
   * answer's): one write, and a redelivered message finds both or neither.
   */
  inbound?: Omit<InboundEntry, 'outcome'>;
}

/** An answer as stored, with the version its optimistic update is conditioned on. */
export interface StoredAnswer {
  answer: Answer;
  version: number;
}

export interface AnswerStore {
  /**
   * Records a reply against the participant's answer for the round: the same Message-ID is
   * recorded once; a second reply updates the answer and keeps both texts. Action items are
   * also kept on the participant, to be quoted back in the next check-in.
   */
  recordReply(
    input: RecordReplyInput,
    /** The answer as the caller just read it (`null`: none yet), which spares a read. */
    current?: StoredAnswer | null,
  ): Promise<'recorded' | 'updated' | 'duplicate'>;
  getAnswer(cohortId: string, round: number, participantId: string): Promise<Answer | undefined>;
  listAnswers(cohortId: string, round: number): Promise<Answer[]>;
  /** Who answered the round (participant ids): the answers' ids alone, for the nudges. */
  answeredBy(cohortId: string, round: number): Promise<Set<string>>;
  /** The answers of a round, or of every round, without the replies' texts: the ladder, the organizer's pairs. */
  listAnswerSummaries(cohortId: string, round?: number): Promise<AnswerSummary[]>;
}

/** An answer without the replies' full texts. */
export type AnswerSummary = Omit<Answer, 'replies'>;

/** Who waits for a new partner (the rematch queue), and what became of it. */
export interface RematchStore {
  listRematches(cohortId: string): Promise<RematchRequest[]>;
  /**
   * Puts a person in the queue for the pair they leave (`previousPairId`); false when they are
   * in it for that pair already (a rerun), which leaves the request as it stands.
   */
  queueRematch(request: RematchRequest): Promise<boolean>;
  /** Records what became of a request in the queue (proposed, matched, unplaceable). */
  saveRematch(request: RematchRequest): Promise<void>;
}

/** The numbered items of each digest, kept for the organizers' replies to it. */
export interface DigestItemStore {
  /**
   * Keeps a digest's items unless that digest's are kept already (a rerun of the round's close):
   * the items kept, which the email then shows.
   */
  keepDigestItems(items: DigestItems): Promise<DigestItems>;
  getDigestItems(cohortId: string, round: number): Promise<DigestItems | undefined>;
}

/** What is left of a cohort once its personal data is purged, and how one person is forgotten. */
export interface PersonalDataStore {
  /** Keeps the cohort's anonymized figures; false when they were kept before (a rerun keeps the first). */
  saveArchive(cohortId: string, archive: CohortReportData): Promise<boolean>;
  getArchive(cohortId: string): Promise<CohortReportData | undefined>;
  /**
   * Deletes every item of the cohort that holds personal data, wherever it lives (participants,
   * pairs, answers, notices, reply keys, link tokens and changes' links, the participants'
   * ledger entries, dead letters and their copies, the inbound log, match drafts, the rematch
   * queue), keeping the cohort, its archive, the count of match drafts and the organizers'
   * ledger entries. Idempotent: a rerun finishes the job.
   */
  purgeCohort(cohortId: string): Promise<{ deleted: number }>;
  /**
   * Erases one person from a cohort: their participant item, answers, reply keys, link tokens
   * (their own and their changes'), ledger entries, dead letters with their copies and rematch
   * requests are deleted, and an applicant who never confirmed frees their place in the
   * intake's count; every other item that names them (their partner's pair, notices, drafts,
   * review settings) has their address and name replaced.
   */
  erasePerson(
    cohortId: string,
    person: { email: string; name?: string; participantId?: string },
    replacement: { email: string; name: string },
  ): Promise<{ deleted: number; redacted: number }>;
  /** Puts the address's hash on the suppression list: no message to it is ever claimed again. */
  suppress(email: string, at: Date): Promise<void>;
}

/** The cohort workflow's engine: Step Functions on AWS, the local runner on the local stack. */
export interface WorkflowEngine {
  /** Starts an execution of the cohort workflow; starting a name that already ran does nothing. */
  start(executionName: string, input: { cohortId: string }): Promise<void>;
  /** Stops a running execution; stopping one that ended does nothing. */
  stop(executionName: string): Promise<void>;
  /** Completes the task the workflow waits on (the organizer's approval). */
  completeTask(taskToken: string, output: unknown): Promise<void>;
}

/** Raw inbound messages, as SES stored them (the inbound-mail bucket; a folder locally). */
export interface RawMailStore {
  /** The first `maxBytes` of the message: Tandem reads only the beginning of a long one. */
  read(messageId: string, maxBytes: number): Promise<Uint8Array | undefined>;
}

export type InboundOutcome =
  | 'recorded'
  | 'updated'
  | 'duplicate'
  | 'dropped'
  | 'held'
  | 'auto_reply'
  | 'bounce'
  | 'empty'
  | 'unknown_key'
  | 'cohort_closed'
  | 'round_closed'
  | 'confirmed'
  | 'unsubscribed'
  /** An exit or unsubscribe from an unproven sender: the participant is asked to confirm by link. */
  | 'unverified'
  /** An organizer's reply to the digest: its commands were carried out and confirmed. */
  | 'organizer_command'
  | 'unreadable';

export interface InboundEntry {
  cohortId?: string;
  messageId: string;
  /** What the message was (reply, auto_reply, bounce, empty), when it could be read. */
  kind?: string;
  outcome: InboundOutcome;
  at: Date;
}

/** What became of each inbound message: once per message, for de-duplication and reports. */
export interface InboundLog {
  /** Records the outcome unless the message was handled before; false when it was. */
  record(entry: InboundEntry): Promise<boolean>;
  /** A cohort's inbound messages counted by kind and by outcome, for the organizer's report. */
  counts(cohortId: string): Promise<{ byKind: Record<string, number>; byOutcome: Record<string, number> }>;
}

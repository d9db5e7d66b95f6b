import { conflict } from '../errors.ts';
import type { MatchedPair, MatchSummary, ReviewSettings, UnmatchedMentee } from './run-matching.ts';

/**
 * One run of matching for a cohort, kept for the organizer's review. Drafts are numbered from
 * 1 and never change once stored, except that exactly one of them may be approved: only an
 * approved draft is ever announced to participants.
 */
export interface MatchDraft {
  cohortId: string;
  number: number;
  status: 'draft' | 'approved';
  createdAt: string;
  approvedAt?: string;
  /** The review settings this draft was made with. */
  settings: ReviewSettings;
  pairs: MatchedPair[];
  unmatched: UnmatchedMentee[];
  summary: MatchSummary;
}

/** A cohort's review: the organizer's settings and where the drafts stand. */
export interface MatchReview {
  settings: ReviewSettings;
  /** Bumped by every change of the settings (optimistic locking). 0 before the first. */
  version: number;
  /** How many drafts exist; the latest is number `drafts`. */
  drafts: number;
  approvedDraft?: number;
}

export const emptyReviewSettings = (): ReviewSettings => ({ pins: [], forbids: [], capacityOverrides: {} });

/** The refusal of any change once a draft is approved. */
export const alreadyApproved = (cohortId: string, draft: number) =>
  conflict(`Draft ${draft} of cohort "${cohortId}" is already approved; the matching can no longer change.`);

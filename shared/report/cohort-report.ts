import type { PairEndKind } from '../cohorts/pair.ts';
import type { RematchReason } from '../cohorts/rematch.ts';
import type { RoundKind } from '../program/calendar.ts';

/**
 * What `report.json` holds: the cohort's figures for its organizers. The fields `tandem simulate`
 * wrote first (cohortId … realSeconds) and those issue 11 named (ladder, rematches, ratings,
 * nps) are a contract for organizers' scripts: fields may be added, never renamed.
 */
export interface CohortReport {
  cohortId: string;
  program: string;
  /** Phases in the order they completed, with the time (simulations: the virtual time). */
  phases: { phase: string; at: string }[];
  participants: {
    total: number;
    mentors: number;
    mentees: number;
    confirmed: number;
    paused: number;
    exited: number;
    unsubscribed: number;
    undeliverable: number;
  };
  pairs: {
    total: number;
    active: number;
    ended: number;
    meanScore: number;
    /** Pairs formed mid-cohort for someone in the rematch queue. */
    fromRematch: number;
  };
  /** Every email Tandem sent for the cohort, counted by kind (from the email ledger). */
  emails: Record<string, number> & { total: number };
  /** Every message participants sent, counted by kind: reply, auto_reply, bounce, empty. */
  replies: Record<string, number> & { total: number };
  /** …and by what Tandem did with it: recorded, updated, confirmed, held, duplicate, … */
  replyOutcomes: Record<string, number>;
  rounds: RoundFigures[];
  /** All rounds together: every check-in sent and answered, every pair-round and meeting. */
  overall: {
    checkedIn: number;
    answered: number;
    responseRate: number | null;
    pairRounds: number;
    pairsMet: number;
    meetingRate: number | null;
  };
  /** Active pairs with no meeting reported in the last two closed rounds, as "mentee & mentor". */
  atRisk: string[];
  /** Participants who left, as "name (role)". */
  exits: string[];
  /** Rematches carried out: who got a new partner, instead of whom, from which round. */
  rematches: RematchFigure[];
  /** Everyone who was in the rematch queue, and what became of it. */
  rematchRequests: {
    participant: string;
    name: string;
    reason: RematchReason;
    status: string;
    detail?: string;
  }[];
  /** Pairs that ended, with how and why. */
  endings: { pair: string; kind: PairEndKind | 'unknown'; reason: string; round: number }[];
  /** The engagement ladder as a funnel: how many pairs reached each rung. */
  ladder: {
    nudged: number;
    partnerAsked: number;
    atRisk: number;
    organizerAlerted: number;
    closeOffered: number;
    closedNoFault: number;
    /** Pairs the ladder closed whose partner left behind was then given a new partner. */
    rematched: number;
  };
  /** The check-ins' optional usefulness rating (1–5), per round. */
  ratings: { round: number; mean: number | null; count: number }[];
  /** Net Promoter Score of the close-out survey (0–10): promoters 9–10, passives 7–8, detractors 0–6. */
  nps: { promoters: number; passives: number; detractors: number; score: number | null; responses: number };
  midpoint: {
    round: number;
    responses: number;
    usefulness: { mean: number | null; count: number; distribution: number[] };
    decisions: Record<'continue' | 'change-focus' | 'rematch' | 'end', number>;
    /** "One thing that would help", verbatim (left out once personal data is purged). */
    help: string[];
    helpCount: number;
  };
  closeout: {
    round: number;
    responses: number;
    rating: { mean: number | null; count: number };
  };
  /** The topics participants said they discussed, most often first: in how many answers, by how many people. */
  topics: { topic: string; count: number; people: number }[];
  /** Match scores (0–100) of every pair, in bins of ten. */
  scores: {
    count: number;
    mean: number | null;
    median: number | null;
    min: number | null;
    max: number | null;
    bins: { from: number; to: number; count: number }[];
  };
  notices: number;
  deadLetters: number;
  /** When these figures were computed. */
  generatedAt: string;
  /** Set once the cohort's personal data was purged: the figures were kept, without names. */
  purgedAt?: string;
  anonymized: boolean;
  /** `tandem simulate` only: the virtual time span and the real time it took. */
  virtualStart?: string;
  virtualEnd?: string;
  realSeconds?: number;
}

export interface RoundFigures {
  round: number;
  kind: RoundKind;
  date: string;
  /** Participants the round's check-in (or survey) went to. */
  checkedIn: number;
  /** Participants who answered it. */
  answered: number;
  /** answered ÷ checkedIn, 0–1. */
  responseRate: number | null;
  /** Pairs taking part in the round (formed before it, not ended before it). */
  pairs: number;
  pairsMet: number;
  /** pairsMet ÷ pairs, 0–1. */
  meetingRate: number | null;
  /** Reminders sent to those who had not answered. */
  nudged: number;
  meanRating: number | null;
  ratings: number;
  /** The mid-point survey's usefulness (1–5), in the round that carried it. */
  meanUsefulness: number | null;
  usefulnessAnswers: number;
}

export interface RematchFigure {
  participant: string;
  previousPartner: string | null;
  newPartner: string | null;
  round: number | null;
  reason: RematchReason;
  participantName: string;
  previousPartnerName: string | null;
  newPartnerName: string | null;
}

/** One row of `pairs.csv`: a pair's whole story, for the organizer's records. */
export interface PairRecord {
  pair: string;
  menteeName: string;
  menteeEmail: string;
  mentorName: string;
  mentorEmail: string;
  score: number;
  origin: 'match' | 'rematch';
  startRound: number;
  status: 'active' | 'ended';
  endKind: string;
  endedAt: string;
  endReason: string;
  /** The highest rung of the engagement ladder the pair reached, if any. */
  ladderRung: string;
  atRiskReason: string;
  roundsMet: number;
  lastMetRound: number | null;
  meanRating: number | null;
  sharedTopics: string[];
}

/** Everything `tandem report` writes, as the API returns it. */
export interface CohortReportData {
  report: CohortReport;
  pairs: PairRecord[];
}

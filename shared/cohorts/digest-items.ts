/**
 * What a digest (or the mid-point review) asks the organizers to decide, numbered as the email
 * numbers it, and kept so that a reply (`close 3`) acts on the digest it answers, whatever
 * changed since.
 */
export const digestItemReasons = [
  /** The engagement ladder flagged the pair. */
  'at-risk',
  /** Mid-point review: no answer to the mid-point survey from either side. */
  'silent',
  /** Mid-point review: a side rated the pairing 2 or less out of 5. */
  'low-usefulness',
  /** Mid-point review: a side asked for another partner. */
  'asked-rematch',
  /** Mid-point review: a side asked to end the pairing. */
  'asked-end',
  /** A mentee in the rematch queue nobody with a free place can take. */
  'unplaceable',
] as const;
export type DigestItemReason = (typeof digestItemReasons)[number];

export interface DigestItem {
  /** 1-based, as the email shows it. */
  number: number;
  reason: DigestItemReason;
  /** The pair the item is about; a participant alone for `unplaceable`. */
  pairId?: string;
  participant?: string;
  /** Who, in plain words: "Ana Silva & Tom Berg". */
  title: string;
  /** One line of evidence: what the answers or the ladder say. */
  evidence: string;
  /** The reply commands that act on it, e.g. `nudge 3`, `close 3`, `rematch 3`. */
  commands: string[];
}

export interface DigestItems {
  cohortId: string;
  /** The round of the digest that carries them. */
  round: number;
  /** True when it is the mid-point review: a pair closed from it ends well, with a thank-you. */
  midpoint: boolean;
  items: DigestItem[];
  /** Rematch proposals waiting for approval when the digest went out (`approve`). */
  proposals: number;
  createdAt: string;
}

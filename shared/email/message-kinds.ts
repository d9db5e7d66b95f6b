/**
 * Every kind of email Tandem sends. A kind plus a round identifies one message to one
 * recipient in the ledger; kinds that expect an answer carry a reply address for that round.
 */
export const messageKinds = [
  'application-received',
  'application-change',
  'match-announcement',
  'check-in',
  'nudge',
  'pair-nudge',
  'midpoint-survey',
  'closeout-survey',
  'pause-confirmation',
  'exit-confirmation',
  'exit-request',
  'unsubscribe-request',
  'rematch-confirmation',
  'rematch-unplaceable',
  'midpoint-thanks',
  'partner-check',
  'close-offer',
  'pair-closed',
  'thank-you',
  'organizer-digest',
  'approval-request',
  'organizer-alert',
  'organizer-report',
  'rematch-proposal',
  'organizer-confirmation',
  'courtesy-reply',
] as const;

export type MessageKind = (typeof messageKinds)[number];

/** Who reads a message: a mentor, a mentee, an applicant not yet matched, or an organizer. */
export type Audience = 'mentor' | 'mentee' | 'organizer';

interface KindTraits {
  /** Carries `Reply-To: reply+KEY@…` and tells the reader how to answer. */
  expectsReply: boolean;
  /** Sent to organizers, not participants: no unsubscribe, no reply key. */
  organizerOnly: boolean;
}

export const kindTraits: Record<MessageKind, KindTraits> = {
  'application-received': { expectsReply: true, organizerOnly: false },
  'application-change': { expectsReply: true, organizerOnly: false },
  'match-announcement': { expectsReply: true, organizerOnly: false },
  'check-in': { expectsReply: true, organizerOnly: false },
  nudge: { expectsReply: true, organizerOnly: false },
  // An organizer's nudge to one pair (`tandem nudge`, a reply `nudge N` to the digest).
  'pair-nudge': { expectsReply: true, organizerOnly: false },
  'midpoint-survey': { expectsReply: true, organizerOnly: false },
  'closeout-survey': { expectsReply: true, organizerOnly: false },
  'pause-confirmation': { expectsReply: true, organizerOnly: false },
  'exit-confirmation': { expectsReply: false, organizerOnly: false },
  // An "exit" or "unsubscribe" from an address nobody vouched for: confirmed by link only.
  'exit-request': { expectsReply: false, organizerOnly: false },
  'unsubscribe-request': { expectsReply: false, organizerOnly: false },
  'rematch-confirmation': { expectsReply: true, organizerOnly: false },
  'rematch-unplaceable': { expectsReply: true, organizerOnly: false },
  // A pair ended at the mid-point review: thanks to both, no blame.
  'midpoint-thanks': { expectsReply: false, organizerOnly: false },
  // The engagement ladder: the partner who answers is asked how it is going; the silent side is
  // offered a no-fault close; then both hear that the pair ended.
  'partner-check': { expectsReply: true, organizerOnly: false },
  'close-offer': { expectsReply: true, organizerOnly: false },
  'pair-closed': { expectsReply: false, organizerOnly: false },
  'thank-you': { expectsReply: false, organizerOnly: false },
  // Organizers answer the digest with commands (`close 3`, `approve`): their own reply address.
  'organizer-digest': { expectsReply: true, organizerOnly: true },
  'approval-request': { expectsReply: false, organizerOnly: true },
  'organizer-alert': { expectsReply: false, organizerOnly: true },
  'organizer-report': { expectsReply: false, organizerOnly: true },
  'rematch-proposal': { expectsReply: true, organizerOnly: true },
  // What an organizer's reply to the digest did, and what it did not understand.
  'organizer-confirmation': { expectsReply: false, organizerOnly: true },
  'courtesy-reply': { expectsReply: false, organizerOnly: false },
};

/** The short words a participant can reply with, in the order emails list them. */
export const replyWords = ['pause', 'exit', 'rematch', 'unsubscribe'] as const;

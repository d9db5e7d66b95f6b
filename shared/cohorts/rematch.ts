import type { Role } from '../applications/application-schema.ts';

/** Why someone is waiting for a new partner. */
export const rematchReasons = [
  /** They replied `rematch`, or asked for it in the mid-point survey. */
  'participant-request',
  /** Their silent partner's pair was closed at the end of the ladder. */
  'no-fault-close',
  /** Their partner left the program. */
  'partner-exit',
  /** An organizer decided (CLI, API, console or a reply to the digest). */
  'organizer',
] as const;
export type RematchReason = (typeof rematchReasons)[number];

/**
 * A person in the rematch queue, and what became of it: `queued` → `proposed` (in a small
 * rematch draft, unless the program says `rematch: automatic`) → `matched` (the new pair is
 * introduced and joins the next round), or `unplaceable` (told kindly; the organizer told why).
 */
export interface RematchRequest {
  cohortId: string;
  email: string;
  role: Role;
  reason: RematchReason;
  status: 'queued' | 'proposed' | 'matched' | 'unplaceable';
  queuedAt: string;
  /** The pair they leave, and the partner in it. */
  previousPairId?: string;
  previousPartner?: string;
  /** Once matched: the new pair, the new partner and the first round they share. */
  newPairId?: string;
  newPartner?: string;
  round?: number;
  /** A proposed or matched mentee's pair: its score and why, from the matching engine. */
  score?: number;
  reasons?: string[];
  /** Why nobody could take them, for the organizer. */
  unplaceableReason?: string;
  updatedAt: string;
}

import type { ReviewSettings } from '../matching/run-matching.ts';
import {
  changeReviewSettings,
  type PairRequest,
  participantOf,
  type ReviewDeps,
  samePair,
} from './review-settings.ts';

/** Forbids a pair: the next drafts never contain it. Forbidding a pinned pair removes the pin. */
export function forbidPair(
  cohortId: string,
  request: PairRequest,
  deps: ReviewDeps,
): Promise<ReviewSettings> {
  return changeReviewSettings(
    cohortId,
    ({ participants, settings }) => {
      const pair = {
        mentee: participantOf(participants, request.mentee, 'mentee').email,
        mentor: participantOf(participants, request.mentor, 'mentor').email,
      };
      const forbids = settings.forbids.filter((forbid) => !samePair(forbid, pair));
      if (request.remove) return { ...settings, forbids };
      return {
        ...settings,
        forbids: [...forbids, pair],
        pins: settings.pins.filter((pin) => !samePair(pin, pair)),
      };
    },
    deps,
  );
}

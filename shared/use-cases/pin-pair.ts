import { conflict } from '../errors.ts';
import { pinBreaksRule, pinConflict, type ReviewSettings } from '../matching/run-matching.ts';
import {
  changeReviewSettings,
  type PairRequest,
  participantOf,
  type ReviewDeps,
  samePair,
} from './review-settings.ts';

/**
 * Pins a pair: the next drafts always contain it (a mentee has one pin at most; pinning again
 * replaces it). A pin overrides the minimum score, never a rule, and never more pins on a
 * mentor than the mentor's places. `remove` takes the pin away again.
 */
export function pinPair(cohortId: string, request: PairRequest, deps: ReviewDeps): Promise<ReviewSettings> {
  return changeReviewSettings(
    cohortId,
    ({ cohort, participants, settings }) => {
      const mentee = participantOf(participants, request.mentee, 'mentee');
      const mentor = participantOf(participants, request.mentor, 'mentor');
      const pair = { mentee: mentee.email, mentor: mentor.email };
      const pins = settings.pins.filter((pin) => pin.mentee !== pair.mentee);
      if (request.remove) return { ...settings, pins: settings.pins.filter((pin) => !samePair(pin, pair)) };

      const forbids = settings.forbids.filter((forbid) => !samePair(forbid, pair));
      const rule = pinBreaksRule(mentee, mentor, cohort.program, forbids);
      if (rule) throw pinConflict(pair, rule);
      const places =
        settings.capacityOverrides[mentor.email] ?? mentor.capacity ?? cohort.program.mentorCapacity;
      const taken = pins.filter((pin) => pin.mentor === mentor.email).length;
      if (taken >= places) {
        throw conflict(
          `${mentor.email} has ${places} ${places === 1 ? 'place' : 'places'} and ${taken} pinned ${taken === 1 ? 'mentee' : 'mentees'} already. Raise the capacity with \`tandem capacity\` or remove a pin.`,
        );
      }
      return { ...settings, pins: [...pins, pair], forbids };
    },
    deps,
  );
}

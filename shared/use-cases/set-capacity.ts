import { conflict, invalidInput } from '../errors.ts';
import type { ReviewSettings } from '../matching/run-matching.ts';
import { changeReviewSettings, participantOf, type ReviewDeps } from './review-settings.ts';

/** Most mentees one mentor can take: mentoring is a light commitment. */
const maxCapacity = 5;

/** Replaces a mentor's capacity for the next drafts; 0 takes the mentor out of this cohort's matching. */
export function setCapacity(
  cohortId: string,
  request: { mentor: string; capacity: number },
  deps: ReviewDeps,
): Promise<ReviewSettings> {
  const { capacity } = request;
  if (!Number.isInteger(capacity) || capacity < 0 || capacity > maxCapacity) {
    throw invalidInput('The capacity is not valid', [
      {
        path: 'capacity',
        message: `must be a whole number from 0 to ${maxCapacity}`,
        hint: '0 takes the mentor out of matching',
      },
    ]);
  }
  return changeReviewSettings(
    cohortId,
    ({ participants, settings }) => {
      const mentor = participantOf(participants, request.mentor, 'mentor').email;
      const pinned = settings.pins.filter((pin) => pin.mentor === mentor).length;
      if (pinned > capacity) {
        throw conflict(
          `${mentor} has ${pinned} pinned mentees; remove pins before lowering the capacity to ${capacity}.`,
        );
      }
      return { ...settings, capacityOverrides: { ...settings.capacityOverrides, [mentor]: capacity } };
    },
    deps,
  );
}

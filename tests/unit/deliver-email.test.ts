import { describe, expect, it } from 'vitest';
import { ownRoundsFrom } from '../../shared/email/outbound-email.ts';
import { describeKey } from '../../shared/use-cases/deliver-email.ts';

describe('a message as a dead-letter notice names it', () => {
  const key = { cohortId: 'c', recipientId: 'p1' };
  it('gives its check-in round, and no round for one of its own (a confirmation, a mid-point thank-you) or none', () => {
    expect(describeKey({ ...key, kind: 'check-in', round: 3 })).toBe('check-in (round 3)');
    expect(describeKey({ ...key, kind: 'match-announcement', round: 0 })).toBe('match-announcement');
    expect(describeKey({ ...key, kind: 'midpoint-thanks', round: ownRoundsFrom })).toBe('midpoint-thanks');
    expect(describeKey({ ...key, kind: 'organizer-confirmation', round: 2 ** 32 - 1 })).toBe(
      'organizer-confirmation',
    );
  });
});

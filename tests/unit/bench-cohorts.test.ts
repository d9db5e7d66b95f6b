import { describe, expect, it } from 'vitest';
import networkTopics from '../../bench/network-topics.json' with { type: 'json' };
import { syntheticCohort } from '../../bench/synthetic-cohort.ts';
import { applicationsCsv, parseApplicationsCsv } from '../../shared/applications/applications-csv.ts';

describe("the bench's `network` cohorts", () => {
  const places = [1, 2, 2, 3, 1, 2, 4, 1, 2, 3];
  const cohort = syntheticCohort('network', 2000, 900, 5, places);

  it('are the same for the same seed, and others for another', () => {
    expect(syntheticCohort('network', 2000, 900, 5, places)).toEqual(cohort);
    expect(syntheticCohort('network', 2000, 900, 6, places)).not.toEqual(cohort);
  });

  it('read back from an intake CSV with no row rejected', () => {
    const { rows } = parseApplicationsCsv(applicationsCsv([...cohort.mentors, ...cohort.mentees]));
    expect(rows.flatMap((row) => row.issues)).toEqual([]);
    expect(rows.filter((row) => row.application)).toHaveLength(2900);
  });

  it("give mentor j the places' entry j, and name only the cohort's mentors", () => {
    expect(cohort.mentors.map((mentor) => mentor.capacity)).toEqual(
      cohort.mentors.map((_, j) => places[j % places.length]),
    );
    const mentors = new Set(cohort.mentors.map((mentor) => mentor.email));
    for (const mentee of cohort.mentees) {
      for (const email of [...mentee.preferred, ...mentee.avoid]) expect(mentors.has(email)).toBe(true);
      expect(mentee.preferred.filter((email) => mentee.avoid.includes(email))).toEqual([]);
    }
    const naming = cohort.mentees.filter((mentee) => mentee.preferred.length > 0).length;
    expect(naming).toBeGreaterThan(2000 / 7 / 2);
    expect(naming).toBeLessThan((2000 / 7) * 2);
  });

  it('leave out the share of mentees asked for, speaking only a language no mentor speaks', () => {
    const some = syntheticCohort('network', 2000, 900, 5, places, 0.01);
    const unplaceable = some.mentees.filter((mentee) => mentee.languages.join() === 'icelandic');
    expect(unplaceable).toHaveLength(20);
    expect(some.mentors.some((mentor) => mentor.languages.includes('icelandic'))).toBe(false);
  });

  it('ask for topics by a long tail, some written the other ways people write them', () => {
    const asked = new Map<string, number>();
    for (const mentee of cohort.mentees) {
      expect(mentee.topics.length).toBeGreaterThanOrEqual(1);
      expect(mentee.topics.length).toBeLessThanOrEqual(3);
      for (const topic of mentee.topics) asked.set(topic, (asked.get(topic) ?? 0) + 1);
    }
    const usual = (t: number) => asked.get(networkTopics[t]?.[0] ?? '') ?? 0;
    // The most asked topic about ten times as often as the tenth (1/k), far more than the 50th.
    expect(usual(0)).toBeGreaterThan(4 * usual(9));
    expect(usual(9)).toBeGreaterThan(usual(49));
    const otherWays = networkTopics.flatMap((ways) => ways.slice(1));
    expect(otherWays.filter((way) => asked.has(way)).length).toBeGreaterThan(otherWays.length / 2);
    for (const mentor of cohort.mentors) {
      expect(mentor.topics.length).toBeGreaterThanOrEqual(3);
      expect(mentor.topics.length).toBeLessThanOrEqual(8);
    }
  });
});

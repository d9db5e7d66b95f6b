import { applicationSchema } from '../../shared/applications/application-schema.ts';
import type { Cohort } from '../../shared/cohorts/cohort.ts';
import { pairIdOf } from '../../shared/cohorts/pair.ts';
import type { CohortStore, PairStore } from '../../shared/ports.ts';
import { parseProgram } from '../../shared/program/load-program.ts';
import { launchCohort } from '../../shared/use-cases/launch-cohort.ts';

export interface SeedPerson {
  name: string;
  email: string;
  role: 'mentor' | 'mentee';
  timezone?: string;
  /** A mentor's places, when not the program's. */
  capacity?: number;
}

/** A launched cohort of the example shape, with confirmed participants and active pairs. */
export async function seedCohort(
  deps: { store: CohortStore; pairs: PairStore },
  options: {
    id: string;
    people: SeedPerson[];
    pairs: [mentee: string, mentor: string][];
    programYaml?: string;
  },
): Promise<Cohort> {
  const now = new Date('2027-01-10T09:00:00Z');
  const program = parseProgram(`
name: Fixture Program
id: ${options.id}
organizers: [{ name: Grace Hopper, email: grace@${options.id}.example }]
sender: { address: mentoring@example.org, name: Fixture Mentoring }
timezone: Europe/Berlin
intake: { opens: 2027-01-04, closes: 2027-01-24 }
start: 2027-02-01
${options.programYaml ?? ''}
`);
  const cohort = await launchCohort(program, { store: deps.store, clock: { now: () => now } });
  await seedParticipants(deps.store, cohort.id, options.people);
  for (const [mentee, mentor] of options.pairs) {
    await deps.pairs.addPair({
      pairId: pairIdOf(cohort.id, mentee, mentor),
      cohortId: cohort.id,
      menteeEmail: mentee,
      mentorEmail: mentor,
      score: 80,
      reasons: ['both: data engineering, career change', 'mentor 6 years ahead'],
      sharedTopics: ['data engineering', 'career change'],
      status: 'active',
      startRound: 0,
      createdAt: now.toISOString(),
    });
  }
  return cohort;
}

/** Confirmed applications of these people, as if they had applied and confirmed. */
export async function seedParticipants(
  store: CohortStore,
  cohortId: string,
  people: SeedPerson[],
): Promise<void> {
  const now = new Date('2027-01-10T09:00:00Z');
  for (const person of people) {
    const application = applicationSchema.parse({
      email: person.email,
      name: person.name,
      role: person.role,
      years_experience: person.role === 'mentor' ? 8 : 2,
      topics: 'data engineering; career change',
      timezone: person.timezone ?? 'Europe/Berlin',
      languages: 'English',
      ...(person.capacity ? { capacity: String(person.capacity) } : {}),
    });
    await store.saveApplication({ cohortId, application, consentSource: 'import', now, require: 'phase' });
    await store.markParticipant(cohortId, application.email, 'confirmedAt', now);
  }
}

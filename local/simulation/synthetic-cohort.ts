import { en, Faker } from '@faker-js/faker';

/**
 * A synthetic cohort for `tandem simulate`: realistic people on a data-careers path (names,
 * organizations, topics, years, time zones, languages), each with a way of answering email —
 * on time, late, never (a ghost from the start), fading after a few rounds, with an
 * out-of-office first — and a few with a story: a busy mentor who goes silent, one who pauses
 * and comes back, one who leaves, one who asks for another partner, one who would rather
 * finish at the mid-point. Deterministic for a given seed.
 */
export type Behaviour =
  | 'on-time'
  | 'late'
  | 'silent'
  | 'fades'
  | 'auto-reply'
  | 'busy'
  | 'pause'
  | 'exit'
  | 'rematch'
  | 'finishes'
  | 'never-confirms';

export interface SyntheticPerson {
  email: string;
  name: string;
  role: 'mentor' | 'mentee';
  organization: string;
  years_experience: number;
  topics: string[];
  timezone: string;
  languages: string[];
  capacity?: number;
  /** How this person deals with Tandem's email. */
  behaviour: Behaviour;
  /** The last round someone who fades (or a busy mentor) still answers. */
  answersUntil?: number;
  /** The mail program they reply from, which shapes what their replies look like. */
  client: MailClient;
  /** The language they write their replies in. */
  writes: 'en' | 'de' | 'fr' | 'es';
}

export const mailClients = [
  'gmail',
  'outlook',
  'apple-mail',
  'thunderbird',
  'iphone',
  'outlook-mobile',
] as const;
export type MailClient = (typeof mailClients)[number];

const topics = [
  'data engineering',
  'SQL',
  'career change',
  'machine learning',
  'Python',
  'interviewing',
  'data visualization',
  'dashboards',
  'storytelling',
  'leadership',
  'data strategy',
  'analytics engineering',
  'dbt',
  'MLOps',
  'cloud',
  'statistics',
  'experimentation',
  'product analytics',
  'Spark',
  'stakeholder management',
];
const zones: [string, string[]][] = [
  ['Europe/London', ['English']],
  ['Europe/Berlin', ['German', 'English']],
  ['Europe/Paris', ['French', 'English']],
  ['Europe/Madrid', ['Spanish', 'English']],
  ['America/New_York', ['English']],
  ['America/Chicago', ['English', 'Spanish']],
  ['Asia/Kolkata', ['English', 'Hindi']],
  ['Asia/Singapore', ['English', 'Mandarin']],
];
const organizations = 8;

/**
 * Shares of people per behaviour; then one busy mentor, and one each of pause, exit, rematch
 * and finishing at the mid-point among the mentees.
 */
const behaviourShares: [Behaviour, number][] = [
  ['on-time', 0.56],
  ['late', 0.2],
  ['silent', 0.04],
  ['fades', 0.06],
  ['auto-reply', 0.05],
  ['never-confirms', 0.05],
];
/** The round after which a busy mentor stops answering. */
const busyFrom = 3;

export function syntheticCohort(size: number, seed: number, domain = 'example.net'): SyntheticPerson[] {
  const faker = new Faker({ locale: [en] });
  faker.seed(seed);
  const companies = Array.from({ length: organizations }, () => faker.company.name());
  const mentors = Math.max(1, Math.round(size / 3));
  const people: SyntheticPerson[] = [];
  const used = new Set<string>();
  for (let i = 0; i < size; i++) {
    const role = i < mentors ? 'mentor' : 'mentee';
    const first = faker.person.firstName();
    const last = faker.person.lastName();
    let local = `${first}.${last}`
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z.]/g, '');
    while (used.has(local)) local += faker.number.int({ min: 1, max: 9 });
    used.add(local);
    const [timezone, languages] = faker.helpers.arrayElement(zones);
    const writes =
      languages[0] === 'German'
        ? 'de'
        : languages[0] === 'French'
          ? 'fr'
          : languages[0] === 'Spanish'
            ? 'es'
            : 'en';
    people.push({
      email: `${local}@${domain}`,
      name: `${first} ${last}`,
      role,
      organization: faker.helpers.arrayElement(companies),
      years_experience:
        role === 'mentor' ? faker.number.int({ min: 4, max: 15 }) : faker.number.int({ min: 0, max: 4 }),
      topics: faker.helpers.arrayElements(topics, { min: 2, max: 4 }),
      timezone,
      languages,
      ...(role === 'mentor' ? { capacity: faker.number.int({ min: 2, max: 3 }) } : {}),
      behaviour: faker.helpers.weightedArrayElement(
        behaviourShares.map(([value, weight]) => ({ value, weight })),
      ),
      answersUntil: faker.number.int({ min: 1, max: 3 }),
      client: faker.helpers.arrayElement(mailClients),
      writes: writes as SyntheticPerson['writes'],
    });
  }
  // One mentee of each: pauses for a while, leaves, asks for another mentor, finishes at the mid-point.
  const mentees = people.filter((p) => p.role === 'mentee' && p.behaviour === 'on-time');
  for (const [index, behaviour] of (['pause', 'exit', 'rematch', 'finishes'] as const).entries()) {
    const person = mentees[index];
    if (person) person.behaviour = behaviour;
  }
  // A mentor with several mentees gets too busy.
  const busy = people.find((p) => p.role === 'mentor' && p.behaviour === 'on-time' && (p.capacity ?? 0) >= 2);
  if (busy) {
    busy.behaviour = 'busy';
    busy.answersUntil = busyFrom - 1;
  }
  for (const person of people)
    if (person.behaviour !== 'fades' && person.behaviour !== 'busy') delete person.answersUntil;
  return people;
}

import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { Application } from '../shared/applications/application-schema.ts';
import networkTopics from './network-topics.json' with { type: 'json' };

/**
 * Synthetic cohorts for the matching benchmark, the same for the same seed. Mentors take
 * `capacity` mentees each (3 unless told), or, given a list, mentor j takes its entry j (modulo
 * its length): programs where mentors say how many they can take.
 *
 * - `uniform`: topics, years, time zones and languages drawn evenly, so each mentee's best
 *   mentors are spread over the whole pool.
 * - `contention`: a tenth of the mentors are broad, well-placed generalists that almost every
 *   mentee scores highest, and many mentees ask for the same few stars by name. Those mentors
 *   fill at once; everyone else must be placed around them, which is what makes exact solvers slow.
 * - `stars`: interests as in `uniform`, but seven mentees in ten ask by name for one of ten
 *   star mentors (broad topics, well placed), so the preferred bonus piles onto a few places.
 * - `bootcamp`: interests as in `uniform`, but every mentee is a beginner (0–2 years), every
 *   mentor years ahead (5–19), and everyone also names the program's own broad topic, so nearly
 *   every pair is eligible: the scorer looks at every pair, and every mentee's row is long.
 * - `short-form`: a program whose form asked little: every mentee a beginner (0–2 years) in
 *   the program's one topic, in one of three time zones, in English, no organization; and
 *   its mentors alike (5–7 years, one of three zones). Nearly everyone has dozens to
 *   thousands of others exactly alike, and every pair's score is one of a handful.
 * - `short-form-mentees`: the mentees as in `short-form`, the mentors as in `bootcamp`, no two
 *   with the same application (a few hundred kinds, as the beginners' scores see them).
 * - `short-form-stars`: `short-form-mentees`, and seven mentees in ten ask by name for one of
 *   ten star mentors.
 * - `short-form-own`: `short-form-mentees`, and three mentees in ten name a mentor of their
 *   own, any of them (a form that asks "anyone in mind?").
 * - `network`: a professional network's open call, drawn apart from the kinds above: topics by
 *   name (`network-topics.json`), a few written the other ways people write them (ML, dataviz),
 *   asked for by a long-tailed popularity (the k-th most asked about 1/k as often); mentors
 *   name 3–8, mentees 1–3; mentees mostly early in their careers (years skewed low, to the
 *   decimal), mentors 3–25 years; a dozen zones weighted as members are spread; 300
 *   organizations of long-tailed size; one mentee in seven names 1–3 mentors they have heard
 *   of (the first mentors most), one in thirty someone to avoid. Popular topics make about a
 *   third of all pairs eligible: rows are long, nearly as in `bootcamp`.
 *
 * `unplaceable`: the share of mentees (spread evenly) who speak only a language no mentor
 * speaks, so that no mentor can take them, as real intakes have a few; the others are drawn as
 * without it.
 */
export type CohortKind =
  | 'uniform'
  | 'contention'
  | 'stars'
  | 'bootcamp'
  | 'short-form'
  | 'short-form-mentees'
  | 'short-form-stars'
  | 'short-form-own'
  | 'network';

/** The language of `unplaceable` mentees, which no mentor speaks. */
const unspokenLanguage = 'icelandic';

/** The topic everyone in a `bootcamp` cohort names: what the bootcamp teaches. */
const bootcampTopic = 'web development';

const zones = [
  'Europe/London',
  'Europe/Berlin',
  'Europe/Helsinki',
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Australia/Sydney',
  'Africa/Lagos',
];
const otherLanguages = ['german', 'french', 'spanish', 'hindi', 'mandarin', 'portuguese', 'japanese'];
const topicCount = 60;
const topicName = (t: number) => `topic ${String(t).padStart(2, '0')}`;

export function syntheticCohort(
  kind: CohortKind,
  menteeCount: number,
  mentorCount: number,
  seed = 2027,
  capacity: number | readonly number[] = 3,
  unplaceable = 0,
): { mentees: Application[]; mentors: Application[] } {
  const placesOf = (j: number) =>
    typeof capacity === 'number' ? capacity : (capacity[j % capacity.length] ?? 3);
  if (kind === 'network')
    return unplaceableToo(networkCohort(menteeCount, mentorCount, seed, placesOf), unplaceable);
  const { unit, int, chance, pick } = draws(seed);
  // Mentees' interests are skewed (a few topics are everyone's), mentors' are even.
  const skewedTopic = () => Math.min(topicCount - 1, Math.floor(topicCount * unit() ** 2.5));
  const distinct = (count: number, draw: () => number) => {
    const set = new Set<number>();
    while (set.size < count) set.add(draw());
    return [...set].map(topicName);
  };
  const languages = () => (chance(0.9) ? ['english'] : []).concat(chance(0.4) ? [pick(otherLanguages)] : []);
  const withEnglish = (list: string[]) => (list.length === 0 ? ['english'] : list);
  const shortForm = kind.startsWith('short-form');
  // The short forms' mentors (but plain `short-form`'s, made apart) are a bootcamp's.
  const broad = (topics: string[]) =>
    kind === 'bootcamp' || shortForm ? [bootcampTopic, ...topics] : topics;
  const popular =
    kind === 'contention' ? Math.ceil(mentorCount / 10) : kind === 'stars' ? Math.min(mentorCount, 10) : 0;
  const stars = kind === 'contention' ? Math.min(popular, 40) : popular;

  const named = (): string[] => {
    if (kind === 'short-form-stars' && chance(0.7)) return [`mentor${int(0, 9)}@example.org`];
    if (kind === 'short-form-own' && chance(0.3)) return [`mentor${int(0, mentorCount - 1)}@example.org`];
    return [];
  };
  const shortFormZones = zones.slice(0, 3);
  const mentors: Application[] = Array.from({ length: mentorCount }, (_, j) => {
    const generalist = j < popular;
    if (kind === 'short-form') {
      return application({
        email: `mentor${j}@example.org`,
        role: 'mentor',
        years_experience: int(5, 7),
        topics: [bootcampTopic],
        timezone: pick(shortFormZones),
        languages: ['english'],
        capacity: placesOf(j),
      });
    }
    return application({
      email: `mentor${j}@example.org`,
      role: 'mentor',
      organization: `org ${int(0, 199)}`,
      years_experience: kind === 'bootcamp' || shortForm ? int(5, 19) : generalist ? int(5, 8) : int(2, 25),
      topics: generalist
        ? Array.from({ length: 10 }, (_, t) => topicName(t))
        : broad(distinct(int(2, 5), () => int(0, topicCount - 1))),
      timezone: generalist ? 'Europe/London' : pick(zones),
      languages: generalist ? ['english', ...otherLanguages] : withEnglish(languages()),
      capacity: placesOf(j),
    });
  });
  const mentees: Application[] = Array.from({ length: menteeCount }, (_, i) =>
    shortForm
      ? application({
          email: `mentee${i}@example.org`,
          role: 'mentee',
          years_experience: int(0, 2),
          topics: [bootcampTopic],
          timezone: pick(shortFormZones),
          languages: ['english'],
          preferred: named(),
        })
      : application({
          email: `mentee${i}@example.org`,
          role: 'mentee',
          organization: `org ${int(0, 199)}`,
          years_experience: kind === 'bootcamp' ? int(0, 2) : int(0, 10),
          topics: broad(
            distinct(int(1, 3), kind === 'contention' ? skewedTopic : () => int(0, topicCount - 1)),
          ),
          timezone: kind === 'contention' && chance(0.6) ? pick(zones.slice(0, 3)) : pick(zones),
          languages: withEnglish(languages()),
          preferred:
            stars > 0 && chance(kind === 'stars' ? 0.7 : 0.4)
              ? [`mentor${int(0, stars - 1)}@example.org`]
              : chance(0.05)
                ? [`mentor${int(0, mentorCount - 1)}@example.org`]
                : [],
        }),
  );
  return unplaceableToo({ mentees, mentors }, unplaceable);
}

/** The cohort with `unplaceable`'s share of its mentees (spread evenly) speaking only `unspokenLanguage`. */
function unplaceableToo(
  cohort: { mentees: Application[]; mentors: Application[] },
  unplaceable: number,
): { mentees: Application[]; mentors: Application[] } {
  const { mentees } = cohort;
  const every = unplaceable > 0 ? Math.round(1 / unplaceable) : 0;
  for (let i = every - 1; every > 0 && i < mentees.length; i += every) {
    mentees[i] = { ...(mentees[i] as Application), languages: [unspokenLanguage] };
  }
  return cohort;
}

/** Weights of the network's zones, in the order of `zones`. */
const networkZoneWeights = [14, 12, 8, 16, 7, 10, 4, 10, 5, 4, 3, 3];
const networkLanguages = ['spanish', 'german', 'french', 'portuguese', 'hindi', 'japanese'];

/** The `network` kind (see the top). */
function networkCohort(
  menteeCount: number,
  mentorCount: number,
  seed: number,
  placesOf: (j: number) => number,
): { mentees: Application[]; mentors: Application[] } {
  const { unit, int, chance, pick } = draws(seed);
  const weighted = (cumulative: readonly number[]) => {
    const target = unit() * (cumulative.at(-1) ?? 0);
    const at = cumulative.findIndex((sum) => sum > target);
    return at < 0 ? cumulative.length - 1 : at;
  };
  const cumulate = (weights: readonly number[]) => {
    let sum = 0;
    return weights.map((w) => (sum += w));
  };
  const topicOdds = cumulate(networkTopics.map((_, k) => 1 / (k + 1)));
  const zoneOdds = cumulate(networkZoneWeights);
  const organizationOdds = cumulate(Array.from({ length: 300 }, (_, k) => 1 / (k + 1)));
  const topics = (min: number, max: number) => {
    const drawn = new Set<number>();
    for (const count = int(min, max); drawn.size < count; ) drawn.add(weighted(topicOdds));
    // Most write a topic its usual way; one in four another way people write it.
    return [...drawn].map((t) => {
      const ways = networkTopics[t] ?? [];
      return (chance(0.25) ? pick(ways) : ways[0]) ?? '';
    });
  };
  const languages = () => {
    const spoken = chance(0.92) ? ['english'] : [];
    if (spoken.length === 0 || chance(0.3)) spoken.push(pick(networkLanguages));
    return spoken;
  };
  const person = (role: 'mentor' | 'mentee', email: string) => ({
    email,
    role,
    organization: `Org ${weighted(organizationOdds)}`,
    timezone: zones[weighted(zoneOdds)] ?? 'UTC',
    languages: languages(),
  });
  const mentorEmail = (j: number) => `mentor.${j}@network.example.org`;
  const mentors: Application[] = Array.from({ length: mentorCount }, (_, j) =>
    application({
      ...person('mentor', mentorEmail(j)),
      years_experience: Math.round(3 + 22 * unit() ** 1.5),
      topics: topics(3, 8),
      capacity: placesOf(j),
    }),
  );
  const mentees: Application[] = Array.from({ length: menteeCount }, (_, i) => {
    const heardOf = chance(1 / 7)
      ? [
          ...new Set(
            Array.from({ length: int(1, 3) }, () => mentorEmail(Math.floor(mentorCount * unit() ** 3))),
          ),
        ]
      : [];
    const avoided = chance(1 / 30) ? mentorEmail(int(0, mentorCount - 1)) : undefined;
    return application({
      ...person('mentee', `mentee.${i}@network.example.org`),
      years_experience: Math.round(90 * unit() ** 2) / 10,
      topics: topics(1, 3),
      preferred: heardOf,
      avoid: avoided && !heardOf.includes(avoided) ? [avoided] : [],
    });
  });
  return { mentees, mentors };
}

/** Seeded draws: a number in [0, 1), a whole number in `min .. max`, a chance, an item. */
function draws(seed: number) {
  const rng = xoroshiro128plus(seed);
  const unit = () => uniformFloat64(rng);
  const int = (min: number, max: number) => uniformInt(rng, min, max);
  return {
    unit,
    int,
    chance: (p: number) => unit() < p,
    pick: <T>(items: readonly T[]) => items[int(0, items.length - 1)] as T,
  };
}

function application(fields: Partial<Application> & Pick<Application, 'email' | 'role'>): Application {
  return {
    name: fields.email,
    years_experience: 0,
    topics: [],
    timezone: 'UTC',
    languages: [],
    preferred: [],
    avoid: [],
    ...fields,
  };
}

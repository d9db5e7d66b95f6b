import type { Faker } from '@faker-js/faker';
import type { SyntheticPerson } from './synthetic-cohort.ts';

/**
 * What simulated participants write back: the way people really answer a check-in — a line
 * per question, numbered, labelled, or a few sentences — in their own language.
 */

const actionItems = [
  'finish the dbt course',
  'update my CV',
  'book a mock interview',
  'read two chapters of Designing Data-Intensive Applications',
  'ask my manager about the data team rotation',
  'draft a six-month learning plan',
  'rebuild my portfolio dashboard',
  'write up the SQL tuning notes',
  'shadow an on-call week',
];

const words = {
  en: {
    yes: 'Yes',
    no: 'Not yet',
    thanks: 'Thanks!',
    met: 'Yes, we met last week.',
    notMet: 'No, we had to reschedule.',
  },
  de: {
    yes: 'Ja',
    no: 'Nein',
    thanks: 'Danke!',
    met: 'Ja, wir haben uns letzte Woche getroffen.',
    notMet: 'Nein, wir mussten verschieben.',
  },
  fr: {
    yes: 'Oui',
    no: 'Non',
    thanks: 'Merci !',
    met: 'Oui, on s’est vus la semaine dernière.',
    notMet: 'Non, nous avons dû reporter.',
  },
  es: {
    yes: 'Sí',
    no: 'No',
    thanks: '¡Gracias!',
    met: 'Sí, nos vimos la semana pasada.',
    notMet: 'No, tuvimos que aplazarlo.',
  },
} as const;

/** A mentee's answer to a check-in: met, one or two topics, action items, a rating. */
export function menteeCheckIn(person: SyntheticPerson, faker: Faker, met: boolean): string {
  const w = words[person.writes];
  const topics = faker.helpers.arrayElements(person.topics, { min: 1, max: 2 }).join(', ');
  const items = faker.helpers.arrayElements(actionItems, { min: 1, max: 2 });
  const rating = faker.number.int({ min: 3, max: 5 });
  if (!met) return `${w.no}\n\n${w.thanks}`;
  switch (faker.helpers.arrayElement(['lines', 'numbered', 'labelled'] as const)) {
    case 'lines':
      return `${w.yes}\n${topics}\n${items.join('; ')}\n${rating}\n\n${w.thanks}`;
    case 'numbered':
      return `1. ${w.yes}\n2. ${topics}\n3. ${items.join('; ')}\n4. ${rating}`;
    case 'labelled':
      return `Met: yes\nTopics: ${topics}\nAction items: ${items.join('; ')}\nRating: ${rating}/5`;
  }
}

/** A mentor's lighter answer. */
export function mentorCheckIn(person: SyntheticPerson, met: boolean): string {
  const w = words[person.writes];
  return met ? `${w.met}\n\n${w.thanks}` : w.notMet;
}

const decisionWords = {
  continue: { en: 'continue', de: 'weitermachen', fr: 'continuer', es: 'continuar' },
  'change-focus': {
    en: 'change focus',
    de: 'Fokus ändern',
    fr: 'changer de sujet',
    es: 'cambiar de enfoque',
  },
  rematch: { en: 'a new partner', de: 'neuer Partner', fr: 'nouveau partenaire', es: 'nuevo compañero' },
  end: { en: 'finish here', de: 'hier aufhören', fr: "s'arrêter là", es: 'terminar aquí' },
} as const;

/** The mid-point survey, numbered: met, usefulness 1–5, the decision for the second half, what would help. */
export function midpointSurvey(
  person: SyntheticPerson,
  faker: Faker,
  answer: { met: boolean; usefulness: number; decision: keyof typeof decisionWords },
): string {
  const w = words[person.writes];
  const help = faker.helpers.arrayElement([
    'More structure for our meetings.',
    'A session on salary negotiation.',
    'Time to practise interviews.',
    'Nothing, it works well.',
  ]);
  return `1. ${answer.met ? w.yes : w.no}\n2. ${answer.usefulness}\n3. ${decisionWords[answer.decision][person.writes]}\n4. ${help}`;
}

/** The close-out survey, numbered: usefulness 1–5, NPS 0–10, a takeaway, mentoring next time. */
export function closeoutSurvey(
  person: SyntheticPerson,
  faker: Faker,
  answer: { usefulness: number; nps: number },
): string {
  const w = words[person.writes];
  const takeaway = faker.helpers.arrayElement([
    'A clear plan for the next year.',
    'Confidence in interviews.',
    'How to scope a data project.',
  ]);
  return `1. ${answer.usefulness}\n2. ${answer.nps}\n3. ${takeaway}\n4. ${faker.datatype.boolean() ? w.yes : w.no}\n\n${w.thanks}`;
}

/** The answer to the ladder's question "how is it going with your partner?". */
export function partnerAnswer(person: SyntheticPerson, met: boolean): string {
  return {
    en: met ? 'We met last week, all good.' : "No, I haven't heard from them since the last check-in.",
    de: met ? 'Ja, wir haben uns letzte Woche getroffen.' : 'Nein, ich habe nichts von ihnen gehört.',
    fr: met ? 'Oui, on s’est vus la semaine dernière.' : 'Non, pas de nouvelles depuis le dernier point.',
    es: met ? 'Sí, nos vimos la semana pasada.' : 'No, no he sabido nada desde el último check-in.',
  }[person.writes];
}

/** How the person confirms their application by email (others use the link). */
export function confirmation(person: SyntheticPerson): string {
  return { en: 'confirm', de: 'bestätigen', fr: 'je confirme', es: 'confirmo' }[person.writes];
}

/** An out-of-office notice, in the person's language. */
export function outOfOffice(person: SyntheticPerson, faker: Faker): string {
  const back = faker.date.soon({ days: 10 }).toISOString().slice(0, 10);
  return {
    en: `I am out of the office until ${back} with limited access to email.`,
    de: `Ich bin bis zum ${back} nicht im Büro und lese meine E-Mails nur eingeschränkt.`,
    fr: `Je suis absent du bureau jusqu'au ${back}.`,
    es: `Estoy fuera de la oficina hasta el ${back}.`,
  }[person.writes];
}

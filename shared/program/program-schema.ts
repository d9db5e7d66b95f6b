import { DateTime } from 'luxon';
import { z } from 'zod';
import { templateIds, tonePartials } from '../email/default-templates.ts';
import { templateError } from '../email/template-syntax.ts';
import { cohortIdField, dateField, emailField, timeZoneField } from '../validation/fields.ts';
import type { HintTable } from '../validation/zod-issues.ts';
import {
  exclusionsSchema,
  lengthMonthsSchema,
  matchingSchema,
  mentorCapacitySchema,
} from './matching-schema.ts';

/**
 * A cohort program: everything an organizer decides before launch, in one file.
 * Defaults follow the program's principles: start light (biweekly check-ins, two mentees
 * per mentor), stay finite (6 months, at most 12), match as many mentees as possible.
 */

export const cadences = ['weekly', 'biweekly', 'monthly'] as const;
/** Personal data is kept this many days after the cohort's last day, unless the program says otherwise. */
export const defaultRetentionDays = 90;
const maxRetentionDays = 730;
/** `review`: the organizers approve each rematch proposal; `automatic`: approved at once. */
export const rematchModes = ['review', 'automatic'] as const;

const limit = (what: string, fallback: number) =>
  z
    .int({ error: `must be a whole number of ${what}` })
    .min(1, { error: 'must be at least 1' })
    .default(fallback);

/**
 * What the public form takes before it says "try again later": anyone can post to it, so it
 * must not become a way to mail thousands of strangers. Generous for a real cohort.
 */
const intakeLimitsSchema = z
  .strictObject({
    /** New applications and changes through the form, per hour. */
    applicationsPerHour: limit('applications per hour', 300),
    /** Addresses that applied through the form and have not confirmed yet. */
    unconfirmed: limit('unconfirmed applicants', 1000),
    /** "Please confirm" emails per hour; the rest go out with the next intake sweep. */
    confirmationEmailsPerHour: limit('emails per hour', 120),
  })
  .prefault({});

export type IntakeLimits = z.output<typeof intakeLimitsSchema>;

/** A program's intake limits; programs stored before they existed have the defaults. */
export const intakeLimitsOf = (program: Program): IntakeLimits => ({
  ...intakeLimitsSchema.parse({}),
  ...program.intake.limits,
});

const checkIns = (fallback: number) =>
  z
    .int({ error: 'must be a whole number of check-ins from 1 to 12' })
    .min(1, { error: 'must be at least 1 check-in' })
    .max(12, { error: 'must be at most 12 check-ins' })
    .default(fallback);

/**
 * The engagement ladder: how many check-ins in a row with no meeting reported bring a pair to
 * each rung. The nudge goes out in every round to whoever has not answered.
 */
const engagementSchema = z
  .strictObject({
    /** The side that answers is asked how it is going. */
    askPartnerAfter: checkIns(2),
    /** The pair is flagged at risk, with its reason, and the organizers are alerted in the digest. */
    atRiskAfter: checkIns(3),
    /** The silent side is offered a no-fault close. */
    closeOfferAfter: checkIns(4),
    /** The pair is closed; the partner left behind joins the rematch queue. */
    closeAfter: checkIns(5),
    /** A participant's `pause` suspends their pair's ladder this many days. */
    pauseDays: z
      .int({ error: 'must be a whole number of days from 1 to 90' })
      .min(1, { error: 'must be at least 1 day' })
      .max(90, { error: 'must be at most 90 days' })
      .default(14),
  })
  .prefault({})
  .superRefine((ladder, ctx) => {
    const order = ['askPartnerAfter', 'atRiskAfter', 'closeOfferAfter', 'closeAfter'] as const;
    for (const [index, name] of order.entries()) {
      const before = order[index - 1];
      if (before && ladder[name] < ladder[before]) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `must be at least ${before} (${ladder[before]}): the rungs come in order`,
        });
      }
    }
    if (ladder.closeAfter === ladder.closeOfferAfter) {
      ctx.addIssue({
        code: 'custom',
        path: ['closeAfter'],
        message: `must be more than closeOfferAfter (${ladder.closeOfferAfter}): the silent side gets a check-in to answer the offer`,
      });
    }
  });

export type Engagement = z.output<typeof engagementSchema>;

/** A program's engagement ladder; programs stored before it existed have the defaults. */
export const engagementOf = (program: Program): Engagement =>
  program.engagement ?? engagementSchema.parse({});

const templateSource = z.string().superRefine((source, ctx) => {
  const problem = templateError(source);
  if (problem) ctx.addIssue({ code: 'custom', message: `is not a valid template: ${problem}` });
});

const emailSchema = z
  .strictObject({
    /** warm: "Hi Ana," … "Warmly,"; formal: "Dear Ana Silva," … "Kind regards,". */
    tone: z
      .enum(Object.keys(tonePartials) as [keyof typeof tonePartials], { error: 'must be "warm" or "formal"' })
      .default('warm'),
    /** Closes every participant email; defaults to the first organizer and the program name. */
    signature: z.string().trim().min(1).max(500).optional(),
    templates: z
      .partialRecord(
        z.enum(templateIds, { error: `is not a template name; known: ${templateIds.join(', ')}` }),
        z.strictObject({ subject: templateSource.optional(), body: templateSource.optional() }),
      )
      .default({}),
  })
  .prefault({});

export const programSchema = z
  .strictObject({
    id: cohortIdField.optional(),
    name: z.string({ error: 'is required: the program name participants will see' }).trim().min(1).max(120),
    organizers: z
      .array(
        z.strictObject({
          name: z.string({ error: 'is required' }).trim().min(1),
          email: emailField,
        }),
        { error: 'is required: a list of organizers, each with name and email' },
      )
      .min(1, { error: 'needs at least one organizer' }),
    sender: z.strictObject(
      {
        address: emailField,
        name: z.string().trim().min(1).optional(),
      },
      { error: 'is required: the address Tandem sends from' },
    ),
    timezone: timeZoneField.default('UTC'),
    intake: z.strictObject(
      { opens: dateField, closes: dateField, limits: intakeLimitsSchema },
      { error: 'is required: the dates applications open and close' },
    ),
    start: dateField,
    lengthMonths: lengthMonthsSchema,
    cadence: z.enum(cadences, { error: 'must be one of weekly, biweekly, monthly' }).default('biweekly'),
    midpoint: z.union([z.literal('halfway'), dateField]).default('halfway'),
    mentorCapacity: mentorCapacitySchema,
    matching: matchingSchema,
    exclusions: exclusionsSchema,
    holidays: z.array(dateField).default([]),
    /**
     * How someone in the rematch queue gets a new partner: proposed for the organizers'
     * approval (`review`), or approved at once (`automatic`).
     */
    rematch: z.enum(rematchModes, { error: 'must be "review" or "automatic"' }).default('review'),
    engagement: engagementSchema,
    email: emailSchema,
    /**
     * Days after the cohort's last day until its personal data is purged; only the report's
     * figures, without names, remain. 0 purges it as soon as the cohort closes.
     */
    retentionDays: z
      .int({ error: `must be a whole number of days from 0 to ${maxRetentionDays}` })
      .min(0, { error: 'must be 0 or more: 0 purges the personal data as soon as the cohort closes' })
      .max(maxRetentionDays, {
        error: `must be at most ${maxRetentionDays} days: personal data is kept no longer than the program needs it`,
      })
      .default(defaultRetentionDays),
  })
  .superRefine(
    (program, ctx) => {
      const opens = dateOrNull(program.intake?.opens);
      const closes = dateOrNull(program.intake?.closes);
      const start = dateOrNull(program.start);
      if (opens && closes && closes <= opens) {
        ctx.addIssue({ code: 'custom', path: ['intake', 'closes'], message: 'must be after intake.opens' });
      }
      if (closes && start && start < closes) {
        ctx.addIssue({
          code: 'custom',
          path: ['start'],
          message: 'must be on or after intake.closes: matching happens between the two',
        });
      }
      const midpoint = typeof program.midpoint === 'string' ? dateOrNull(program.midpoint) : null;
      const months = typeof program.lengthMonths === 'number' ? program.lengthMonths : null;
      if (midpoint && start && months) {
        const end = start.plus({ months });
        if (midpoint <= start || midpoint >= end) {
          ctx.addIssue({
            code: 'custom',
            path: ['midpoint'],
            message: `must fall inside the cohort (${start.toISODate()} to ${end.toISODate()})`,
          });
        }
      }
      const emails = (program.organizers ?? []).map((o) => o?.email);
      emails.forEach((email, index) => {
        if (email && emails.indexOf(email) !== index) {
          ctx.addIssue({ code: 'custom', path: ['organizers', index, 'email'], message: 'is listed twice' });
        }
      });
    },
    { when: () => true },
  );

function dateOrNull(value: unknown): DateTime | null {
  if (typeof value !== 'string') return null;
  const date = DateTime.fromISO(value, { zone: 'UTC' });
  return date.isValid && /^\d{4}-\d{2}-\d{2}$/.test(value) ? date : null;
}

export type Program = z.output<typeof programSchema>;
export type ProgramInput = z.input<typeof programSchema>;

export const programHints: HintTable = {
  name: 'e.g. name: "Data Careers Mentoring, Spring 2027"',
  id: 'optional; leave it out to derive it from the name',
  organizers: 'organizers:\n        - name: Ada Lovelace\n          email: ada@example.org',
  'organizers[].email': 'write a full address such as ada@example.org',
  'sender.address': 'an address on your verified SES domain, e.g. mentoring@example.org',
  timezone: 'use an IANA name such as Europe/Berlin or America/New_York',
  'intake.opens': 'write dates as YYYY-MM-DD, e.g. 2027-01-10',
  'intake.closes': 'write dates as YYYY-MM-DD; intake closes after it opens and on or before start',
  start: 'write dates as YYYY-MM-DD; the first check-in round follows the introductions',
  lengthMonths: 'typical programs run 6 months; 12 is the maximum',
  cadence: 'biweekly is a good start: light, but frequent enough to keep momentum',
  midpoint: 'leave it out for half-way, or give a date inside the cohort',
  mentorCapacity: 'how many mentees a mentor takes unless their application says otherwise',
  'matching.objective':
    '"participation" matches as many mentees as possible; "quality" maximizes total score',
  'matching.idealLead': 'years a mentor is ahead of a mentee that counts as "a few steps ahead"',
  'matching.minScore': 'pairs scoring below this (0–100) are never proposed',
  'matching.workingHours': 'local hours as numbers, e.g. workingHours: { start: 9, end: 17 }',
  'matching.synonyms': 'e.g. synonyms: { "machine learning": ["ml", "statistical learning"] }',
  exclusions: 'known rules: same-organization',
  'exclusions[]': 'known rules: same-organization',
  'holidays[]': 'write dates as YYYY-MM-DD',
  engagement:
    'check-ins in a row with no meeting before each rung, e.g. engagement: { askPartnerAfter: 2, atRiskAfter: 3, closeOfferAfter: 4, closeAfter: 5, pauseDays: 14 }',
  'email.tone': 'warm ("Hi Ana," … "Warmly,") or formal ("Dear Ana Silva," … "Kind regards,")',
  retentionDays:
    'days after the last day of the cohort until names, emails and replies are deleted (default 90); export first with `tandem export`',
  'email.templates':
    'override a template by name, e.g. check-in.mentee: { subject: …, body: … }; see `tandem preview`',
};

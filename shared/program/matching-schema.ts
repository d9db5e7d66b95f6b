import { z } from 'zod';

/**
 * The part of a program that matching reads (program-schema.ts holds the whole program): apart,
 * so that `tandem match` without a program file loads neither the email templates' engine nor
 * the rest of the program's schema (about 35 ms of every start).
 */

const weight = (fallback: number) =>
  z.number({ error: 'must be a number from 0 to 100' }).min(0).max(100).default(fallback);

const objectives = ['participation', 'quality'] as const;
const exclusionRules = ['same-organization'] as const;

const hourOfDay = (fallback: number) =>
  z.number({ error: 'must be an hour of the day from 0 to 24' }).min(0).max(24).default(fallback);

export const matchingSchema = z
  .strictObject({
    objective: z.enum(objectives, { error: 'must be "participation" or "quality"' }).default('participation'),
    weights: z
      .strictObject({
        topics: weight(45),
        stepsAhead: weight(30),
        timezone: weight(15),
        language: weight(10),
      })
      .prefault({}),
    /** Points added when a mentee named this mentor in `preferred`. */
    preferredBonus: z.number().min(0).max(50).default(10),
    /** The mentor's lead in years that counts as "a few steps ahead". */
    idealLead: z
      .strictObject({
        min: z.number().min(0).max(40).default(2),
        max: z.number().min(0).max(40).default(6),
      })
      .prefault({})
      .refine((lead) => lead.min <= lead.max, { error: 'min must not exceed max' }),
    minScore: z.number().min(0).max(100).default(20),
    requireSharedLanguage: z.boolean().default(true),
    /** A mentor who shares none of the mentee's topics has no relevant experience to offer. */
    requireSharedTopic: z.boolean().default(true),
    /** Local working hours; pairs score by how much of them overlap across time zones. */
    workingHours: z
      .strictObject({ start: hourOfDay(9), end: hourOfDay(17) })
      .prefault({})
      .refine((hours) => hours.start < hours.end, { error: 'start must be before end' }),
    /** The program's own topic synonyms, added to Tandem's table: `canonical: [alias, …]`. */
    synonyms: z.record(z.string().trim().min(1), z.array(z.string().trim().min(1))).default({}),
  })
  .prefault({});

export const mentorCapacitySchema = z
  .int({ error: 'must be a whole number from 1 to 5' })
  .min(1, { error: 'must be at least 1' })
  .max(5, { error: 'must be at most 5: mentoring is a light commitment' })
  .default(2);

export const exclusionsSchema = z
  .array(z.enum(exclusionRules, { error: 'is not a known exclusion rule' }))
  .default(['same-organization']);

/** Months the cohort runs; matching averages working hours over them. */
export const lengthMonthsSchema = z
  .int({ error: 'must be a whole number of months from 1 to 12' })
  .min(1, { error: 'must be at least 1 month' })
  .max(12, { error: 'must be at most 12 months: cohorts are finite' })
  .default(6);

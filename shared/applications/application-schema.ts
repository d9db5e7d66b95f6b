import { z } from 'zod';
import { emailField, timeZoneField } from '../validation/fields.ts';
import type { HintTable } from '../validation/zod-issues.ts';

/**
 * One application, as a mentor or a mentee. The same schema reads a JSON body posted to the
 * API and a row of an imported CSV; field names are the CSV header names, a contract that
 * organizers' form exports rely on.
 */
export const applicationCsvColumns = [
  'email',
  'name',
  'role',
  'organization',
  'years_experience',
  'topics',
  'timezone',
  'languages',
  'capacity',
  'preferred',
  'avoid',
] as const;

export const roles = ['mentor', 'mentee'] as const;
export type Role = (typeof roles)[number];

const blankToUndefined = (value: unknown) =>
  value === null || (typeof value === 'string' && value.trim() === '') ? undefined : value;

/** Lists arrive as `a; b; c` from a CSV or as arrays from JSON. */
const splitList = (value: unknown) => {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') {
    return value
      .split(';')
      .map((item) => item.trim())
      .filter(Boolean);
  }
  return Array.isArray(value) ? value.map((item) => (typeof item === 'string' ? item.trim() : item)) : value;
};

const uniqueBy = <T>(items: T[], key: (item: T) => string) => {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
};

const textList = (max: number, itemMax: number) =>
  z.preprocess(
    splitList,
    z
      .array(
        z
          .string()
          .min(1)
          .max(itemMax, { error: `each entry must be at most ${itemMax} characters` }),
      )
      .max(max, { error: `at most ${max} entries` })
      .transform((items) => uniqueBy(items, (item) => item.toLowerCase())),
  );

const emailList = (max: number) =>
  z.preprocess(
    splitList,
    z
      .array(emailField)
      .max(max, { error: `at most ${max} addresses` })
      .transform((items) => uniqueBy(items, (item) => item)),
  );

const numberFromText = (value: unknown) => {
  const blank = blankToUndefined(value);
  return typeof blank === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(blank) ? Number(blank) : blank;
};

export const applicationFields = z.object({
  email: emailField,
  name: z.string({ error: 'is required' }).trim().min(1, { error: 'is required' }).max(120),
  role: z.preprocess(
    (value) => (typeof value === 'string' ? value.trim().toLowerCase() : value),
    z.enum(roles, { error: 'must be "mentor" or "mentee"' }),
  ),
  organization: z.preprocess(blankToUndefined, z.string().trim().max(120).optional()),
  years_experience: z.preprocess(
    numberFromText,
    z
      .number({ error: 'is required: years of experience on this path, as a number' })
      .min(0, { error: 'cannot be negative' })
      .max(60, { error: 'must be at most 60' }),
  ),
  topics: textList(10, 80).refine((topics) => topics.length > 0, { error: 'needs at least one topic' }),
  timezone: timeZoneField,
  languages: textList(10, 40).transform((items) => items.map((item) => item.toLowerCase())),
  capacity: z.preprocess(
    numberFromText,
    z
      .int({ error: 'must be a whole number from 1 to 5' })
      .min(1, { error: 'must be at least 1' })
      .max(5, { error: 'must be at most 5' })
      .optional(),
  ),
  preferred: emailList(5),
  avoid: emailList(50),
});

type ApplicationShape = z.output<typeof applicationFields>;

/** What the rules across fields find wrong with an application: a path and a message each. */
export function crossFieldIssues(
  application: Partial<ApplicationShape>,
): { path: string; message: string }[] {
  // These rules run even when the body failed to parse (to list every problem at once): a
  // body that is no object at all has nothing for them to check.
  if (typeof application !== 'object' || application === null) return [];
  const issues: { path: string; message: string }[] = [];
  if (application.role === 'mentee' && application.capacity !== undefined) {
    issues.push({ path: 'capacity', message: 'is only for mentors' });
  }
  for (const field of ['preferred', 'avoid'] as const) {
    const emails = application[field];
    if (application.email && Array.isArray(emails) && emails.includes(application.email)) {
      issues.push({ path: field, message: "must not include the applicant's own email" });
    }
  }
  const { preferred, avoid } = application;
  if (Array.isArray(preferred) && Array.isArray(avoid) && preferred.some((email) => avoid.includes(email))) {
    issues.push({ path: 'preferred', message: 'names someone who is also in avoid' });
  }
  return issues;
}

const crossFieldRules = (application: Partial<ApplicationShape>, ctx: z.RefinementCtx) => {
  for (const { path, message } of crossFieldIssues(application)) {
    ctx.addIssue({ code: 'custom', path: [path], message });
  }
};

export const applicationSchema = applicationFields.superRefine(crossFieldRules, { when: () => true });
export type Application = z.output<typeof applicationSchema>;

/** The API body: the application plus explicit consent to be emailed. Unknown fields are typos. */
export const applicationRequestSchema = applicationFields
  .extend({
    consent: z.literal(true, {
      error: 'must be true: applicants agree to receive the program emails before they can join',
    }),
  })
  .strict()
  .superRefine(crossFieldRules, { when: () => true });

export const applicationHints: HintTable = {
  email: 'e.g. ada@example.org',
  role: 'mentor or mentee',
  years_experience: 'years on the path the program is about, e.g. 4',
  topics: 'separate topics with ";", e.g. data engineering; career change',
  timezone: 'an IANA name such as Europe/Berlin',
  languages: 'separate languages with ";", e.g. English; German',
  capacity: 'mentors only: how many mentees they can take, 1 to 5 (empty = program default)',
  preferred: "other applicants' emails, separated by ';'",
  avoid: "other applicants' emails, separated by ';'",
  consent: 'send "consent": true once the applicant agreed to receive program emails',
};

import { z } from 'zod';
import { describeError, invalidInput } from '../shared/errors.ts';
import { cohortIdField } from '../shared/validation/fields.ts';
import { issuesFromZod } from '../shared/validation/zod-issues.ts';

/** A script's app client (client credentials): what its scope names. */
const automationClientSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { error: 'must be lower-case letters, digits, hyphens' }),
  /** The cohorts it may act on (`tandem/cohort:<id>` each). */
  cohorts: z.array(cohortIdField).default([]),
  /** Every cohort, and launching (`tandem/admin`). */
  admin: z.boolean().default(false),
});

/**
 * Deploy parameters, from CDK context (`-c key=value` or cdk.json). A synth with no AWS
 * account in reach (offline, CI) uses placeholders so the templates can be checked; a deploy
 * — any run where an account is resolved — must name them all.
 */
const deployConfigSchema = z.object({
  senderDomain: z
    .string({ error: 'is missing' })
    .regex(/^(?!-)[a-z0-9-]+(\.[a-z0-9-]+)+$/i, { error: 'must be a domain name such as mail.example.org' }),
  organizerEmail: z.email({ error: 'must be an email address' }),
  region: z
    .string({ error: 'is missing' })
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: 'must be an AWS region such as eu-west-1' }),
  /** Where replies arrive (MX → SES inbound); defaults to reply.<senderDomain>. */
  inboundDomain: z
    .string()
    .regex(/^(?!-)[a-z0-9-]+(\.[a-z0-9-]+)+$/i, { error: 'must be a domain name such as reply.example.org' })
    .optional(),
  /** The first admin, invited by email when the stack is created; defaults to organizerEmail. */
  adminEmail: z.email({ error: 'must be an email address' }).optional(),
  /** Organizers sign in at https://<prefix>.auth.<region>.amazoncognito.com; default tandem-<account id>. */
  signInDomainPrefix: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, {
      error: 'must be lower-case letters, digits and hyphens',
    })
    .refine((prefix) => !/aws|amazon|cognito/.test(prefix), {
      error: 'cannot contain aws, amazon or cognito (Cognito reserves them)',
    })
    .optional(),
  /** Scripts' app clients, as JSON: [{"name": "hr-sync", "cohorts": ["spring-2027"]}]. */
  automationClients: z.preprocess(
    (value) => (typeof value === 'string' ? parseJson(value) : value),
    z.array(automationClientSchema, { error: 'must be a JSON list of {name, cohorts, admin}' }).default([]),
  ),
  /** Hours the match draft waits for the organizers' approval before a reminder, then an alert to all. */
  approvalRemindAfterHours: z.coerce.number().positive().default(72),
  approvalEscalateAfterHours: z.coerce.number().positive().default(72),
  /** The account's SES maximum send rate, messages per second. */
  sesMaxSendRate: z.coerce
    .number({ error: 'must be a number of messages per second' })
    .positive()
    .default(14),
});

export type DeployConfig = Omit<z.output<typeof deployConfigSchema>, 'inboundDomain' | 'adminEmail'> & {
  inboundDomain: string;
  adminEmail: string;
};
export type AutomationClient = z.output<typeof automationClientSchema>;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const requiredKeys = ['senderDomain', 'organizerEmail', 'region'] as const;
const placeholders: DeployConfig = {
  senderDomain: 'example.org',
  organizerEmail: 'organizer@example.org',
  region: 'us-east-1',
  inboundDomain: 'reply.example.org',
  adminEmail: 'organizer@example.org',
  automationClients: [],
  sesMaxSendRate: 14,
  approvalRemindAfterHours: 72,
  approvalEscalateAfterHours: 72,
};

export function resolveDeployConfig(
  context: (key: string) => unknown,
  account: string | undefined,
): { config: DeployConfig; placeholders: boolean } {
  const given = Object.fromEntries(
    [
      ...requiredKeys,
      'inboundDomain',
      'adminEmail',
      'signInDomainPrefix',
      'automationClients',
      'sesMaxSendRate',
      'approvalRemindAfterHours',
      'approvalEscalateAfterHours',
    ].map((key) => [key, context(key)]),
  );
  const offline = account === undefined && requiredKeys.every((key) => given[key] === undefined);
  if (offline) return { config: placeholders, placeholders: true };
  const result = deployConfigSchema.safeParse(given);
  if (result.success) {
    const { inboundDomain, adminEmail, ...config } = result.data;
    return {
      config: {
        ...config,
        inboundDomain: inboundDomain ?? `reply.${config.senderDomain}`,
        adminEmail: adminEmail ?? config.organizerEmail,
      },
      placeholders: false,
    };
  }
  const error = invalidInput(
    'Tandem needs these deploy parameters as CDK context',
    issuesFromZod(result.error),
  );
  throw new Error(
    `${describeError(error)}\nDeploy with: npx cdk deploy --all -c senderDomain=mail.example.org -c organizerEmail=you@example.org -c region=eu-west-1`,
  );
}

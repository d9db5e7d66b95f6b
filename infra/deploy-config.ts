import { z } from 'zod';
import { describeError, invalidInput } from '../shared/errors.ts';
import { issuesFromZod } from '../shared/validation/zod-issues.ts';

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
  /** Hours the match draft waits for the organizers' approval before a reminder, then an alert to all. */
  approvalRemindAfterHours: z.coerce.number().positive().default(72),
  approvalEscalateAfterHours: z.coerce.number().positive().default(72),
  /** The account's SES maximum send rate, messages per second. */
  sesMaxSendRate: z.coerce
    .number({ error: 'must be a number of messages per second' })
    .positive()
    .default(14),
});

export type DeployConfig = Omit<z.output<typeof deployConfigSchema>, 'inboundDomain'> & {
  inboundDomain: string;
};

const requiredKeys = ['senderDomain', 'organizerEmail', 'region'] as const;
const placeholders: DeployConfig = {
  senderDomain: 'example.org',
  organizerEmail: 'organizer@example.org',
  region: 'us-east-1',
  inboundDomain: 'reply.example.org',
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
      'sesMaxSendRate',
      'approvalRemindAfterHours',
      'approvalEscalateAfterHours',
    ].map((key) => [key, context(key)]),
  );
  const offline = account === undefined && requiredKeys.every((key) => given[key] === undefined);
  if (offline) return { config: placeholders, placeholders: true };
  const result = deployConfigSchema.safeParse(given);
  if (result.success) {
    const { inboundDomain, ...config } = result.data;
    return {
      config: { ...config, inboundDomain: inboundDomain ?? `reply.${config.senderDomain}` },
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

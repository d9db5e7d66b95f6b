import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { invalidInput } from '../shared/errors.ts';
import type { ReceiptVerdicts } from '../shared/inbound/authentication-verdict.ts';
import { issuesFromZod } from '../shared/validation/zod-issues.ts';
import type { LocalRoute } from './local-api.ts';

/**
 * Replies by hand on the dev stack: `tandem send-reply` posts a raw message here and it goes
 * through the inbound pipeline as SES would hand it over (verdicts all passed: on the dev stack
 * the sender is whoever you say). Served on the local API under `/_local/inbound` only: no
 * deployed API has it.
 */
export const inboundPath = '/_local/inbound';

const requestSchema = z.strictObject({
  /** The whole message, as a mail client sends it (RFC 5322). */
  raw: z
    .string()
    .min(1)
    .max(512 * 1024),
  /** The envelope: who sent it (SMTP MAIL FROM) and to which address. */
  from: z.string().min(3).max(320),
  to: z.string().min(3).max(320),
});

/** SES's verdicts on a genuine reply: everything passed. */
const pass = { status: 'PASS' } as const;
const passed: ReceiptVerdicts = {
  spfVerdict: pass,
  dkimVerdict: pass,
  dmarcVerdict: pass,
  dmarcPolicy: 'none',
  virusVerdict: pass,
  spamVerdict: pass,
};

export function inboundRoute(): LocalRoute {
  return async (method, body) => {
    if (method !== 'POST')
      return { status: 405, body: { error: { code: 'invalid_input', message: 'POST a message' } } };
    let input: unknown;
    try {
      input = JSON.parse(body || '{}');
    } catch {
      input = undefined;
    }
    const parsed = requestSchema.safeParse(input);
    if (!parsed.success) throw invalidInput('The message is not valid', issuesFromZod(parsed.error));
    const { raw, from, to } = parsed.data;
    // Loaded only when used: the handlers' adapters read the stack's environment.
    const { handlerDeps } = await import('../functions/adapters.ts');
    const { receiveReply } = await import('../shared/use-cases/receive-reply.ts');
    const deps = handlerDeps();
    const result = await receiveReply(
      {
        sesMessageId: `local-${randomUUID()}`,
        raw: Buffer.from(raw, 'utf8'),
        envelopeRecipients: [to],
        verdicts: passed,
        mailFrom: from,
        receivedAt: deps.clock.now(),
      },
      deps,
    );
    return { status: 200, body: result };
  };
}

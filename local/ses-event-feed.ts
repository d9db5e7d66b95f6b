import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { ledgerHeader, parseLedgerId } from '../shared/email/outbound-email.ts';
import type { Stoppable } from './dynamodb-local.ts';
import { capturedSince } from './ses-local.ts';

/**
 * Plays the part of SES event publishing on the local stack: every email aws-ses-v2-local
 * (in this process) captures becomes an `Email Sent` EventBridge event for the same handler
 * the deployed rule invokes, tagged from the message's ledger header. The ledger learns what
 * "SES" accepted.
 */
export function startSesEventFeed(intervalMs = 500): Stoppable {
  let next = 0;
  let running: Promise<void> = Promise.resolve();
  const handler = import(
    pathToFileURL(join(import.meta.dirname, '..', 'functions', 'events', 'ses-events.ts')).href
  ).then((module: { handler: (event: unknown, context: Context) => Promise<void> }) => module.handler);

  const poll = async () => {
    const emails = capturedSince(next);
    next += emails.length;
    for (const email of emails) {
      const key = parseLedgerId(email.headers?.find((h) => h.name === ledgerHeader)?.value ?? '');
      if (!key) continue;
      await (await handler)(sentEvent(email.messageId, key), {} as Context);
    }
  };
  const timer = setInterval(() => {
    running = running.then(poll).catch(() => {});
  }, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

function sentEvent(messageId: string, key: NonNullable<ReturnType<typeof parseLedgerId>>) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Email Sent',
    source: 'aws.ses',
    account: '000000000000',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: [],
    detail: {
      eventType: 'Send',
      mail: {
        messageId,
        tags: {
          cohort: [key.cohortId],
          recipient: [key.recipientId],
          kind: [key.kind],
          round: [String(key.round)],
        },
      },
    },
  };
}

import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { sesEventBatch } from '../infra/constructs/email-sending.ts';
import { ledgerHeader, parseLedgerId } from '../shared/email/outbound-email.ts';
import { localRegion, type Stoppable } from './dynamodb-local.ts';
import type { CapturedEmail, RunningSes } from './ses-local.ts';

const queueArn = `arn:aws:sqs:${localRegion}:000000000000:tandem-ses-events`;

/**
 * Plays the part of SES event publishing on the local stack: every email aws-ses-v2-local
 * captures becomes an `Email Sent` EventBridge event, tagged from the
 * message's ledger header, on the queue the deployed function reads, and the same handler
 * takes them in batches of the deployed size. The ledger learns what "SES" accepted.
 */
export function startSesEventFeed(ses: RunningSes, intervalMs = 500): Stoppable {
  let next = 0;
  let running: Promise<void> = Promise.resolve();
  const handler = import(
    pathToFileURL(join(import.meta.dirname, '..', 'functions', 'events', 'ses-events.ts')).href
  ).then(
    (module: { handler: (event: unknown, context: Context) => Promise<SQSBatchResponse> }) => module.handler,
  );

  const poll = async () => {
    const emails = await ses.capturedSince(next);
    next += emails.length;
    const records = emails.flatMap(sendEventOf).map(sesEventRecord);
    for (let start = 0; start < records.length; start += sesEventBatch.size) {
      const batch = records.slice(start, start + sesEventBatch.size);
      const { batchItemFailures } = await (await handler)(
        { Records: batch } satisfies SQSEvent,
        {} as Context,
      );
      // Nothing here retries: a failure locally is a bug to see, not an outage to ride out.
      if (batchItemFailures.length > 0)
        throw new Error(`The SES events function failed ${batchItemFailures.length} local events`);
    }
  };
  const timer = setInterval(() => {
    running = running.then(poll).catch((error: Error) => console.error(error.message));
  }, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

/** The `Send` event of a captured email (none for untagged mail). */
export function sendEventOf(email: Pick<CapturedEmail, 'messageId' | 'headers'>): object[] {
  const key = parseLedgerId(email.headers?.find((h) => h.name === ledgerHeader)?.value ?? '');
  if (!key) return [];
  return [
    {
      eventType: 'Send',
      mail: {
        messageId: email.messageId,
        tags: {
          cohort: [key.cohortId],
          recipient: [key.recipientId],
          kind: [key.kind],
          round: [String(key.round)],
        },
      },
    },
  ];
}

/** The SQS record the deployed rule queues for an SES event (its `detail`). */
export function sesEventRecord(detail: object): SQSRecord {
  const body = JSON.stringify({
    version: '0',
    id: randomUUID(),
    'detail-type': 'Email Sent',
    source: 'aws.ses',
    account: '000000000000',
    time: new Date().toISOString(),
    region: localRegion,
    resources: [],
    detail,
  });
  const now = String(Date.now());
  return {
    messageId: randomUUID(),
    receiptHandle: randomUUID(),
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: now,
      SenderId: 'events.amazonaws.com',
      ApproximateFirstReceiveTimestamp: now,
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: localRegion,
  };
}

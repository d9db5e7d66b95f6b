import { SESv2Client } from '@aws-sdk/client-sesv2';
import { z } from 'zod';
import { createDocumentClient } from '../shared/adapters/dynamodb/document-client.ts';
import { DynamoDbAnswerStore } from '../shared/adapters/dynamodb/dynamodb-answer-store.ts';
import { DynamoDbCohortStore } from '../shared/adapters/dynamodb/dynamodb-cohort-store.ts';
import { DynamoDbEmailLedger } from '../shared/adapters/dynamodb/dynamodb-email-ledger.ts';
import { DynamoDbNoticeBoard } from '../shared/adapters/dynamodb/dynamodb-notice-board.ts';
import { DynamoDbPairStore } from '../shared/adapters/dynamodb/dynamodb-pair-store.ts';
import { DynamoDbReplyKeys } from '../shared/adapters/dynamodb/dynamodb-reply-keys.ts';
import { SesMailer } from '../shared/adapters/ses/ses-mailer.ts';
import { defaultSendRate, throttledMailer } from '../shared/email/throttled-mailer.ts';
import { systemClock } from '../shared/ports.ts';
import type { MailDeps } from '../shared/use-cases/send-emails.ts';
import { tracer } from './powertools.ts';

/**
 * The composition root of every Lambda handler: adapters built once per process from the
 * function's environment. The local stack sets the same variables, so handlers run unchanged.
 */
const environmentSchema = z.object({
  TABLE_NAME: z.string({ error: 'TABLE_NAME is not set: the function needs the Tandem table name' }).min(1),
  INBOUND_DOMAIN: z.string().min(1).default('reply.localhost'),
  PUBLIC_API_URL: z.string().min(1).default('http://localhost'),
  SES_CONFIGURATION_SET: z.string().min(1).optional(),
  SES_MAX_SEND_RATE: z.coerce.number().positive().default(defaultSendRate),
});

export type HandlerDeps = MailDeps;

let deps: HandlerDeps | undefined;

export function handlerDeps(): HandlerDeps {
  if (!deps) {
    const env = environmentSchema.parse(process.env);
    const db = tracer.captureAWSv3Client(createDocumentClient());
    // Retries are Tandem's own (deliverEmail): backoff with jitter, then a dead letter.
    const ses = tracer.captureAWSv3Client(new SESv2Client({ maxAttempts: 1 }));
    const table = env.TABLE_NAME;
    deps = {
      store: new DynamoDbCohortStore(db, table),
      pairs: new DynamoDbPairStore(db, table),
      answers: new DynamoDbAnswerStore(db, table),
      ledger: new DynamoDbEmailLedger(db, table),
      replyKeys: new DynamoDbReplyKeys(db, table),
      notices: new DynamoDbNoticeBoard(db, table),
      mailer: throttledMailer(
        new SesMailer(
          ses,
          env.SES_CONFIGURATION_SET ? { configurationSetName: env.SES_CONFIGURATION_SET } : {},
        ),
        env.SES_MAX_SEND_RATE,
      ),
      clock: systemClock,
      settings: { inboundDomain: env.INBOUND_DOMAIN, publicUrl: env.PUBLIC_API_URL.replace(/\/+$/, '') },
    };
  }
  return deps;
}

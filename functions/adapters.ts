import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { z } from 'zod';
import { createDocumentClient } from '../shared/adapters/dynamodb/document-client.ts';
import { DynamoDbAnswerStore } from '../shared/adapters/dynamodb/dynamodb-answer-store.ts';
import { DynamoDbCohortStore } from '../shared/adapters/dynamodb/dynamodb-cohort-store.ts';
import { DynamoDbDigestItems } from '../shared/adapters/dynamodb/dynamodb-digest-items.ts';
import { DynamoDbEmailLedger } from '../shared/adapters/dynamodb/dynamodb-email-ledger.ts';
import { DynamoDbInboundLog } from '../shared/adapters/dynamodb/dynamodb-inbound-log.ts';
import { DynamoDbMatchDraftStore } from '../shared/adapters/dynamodb/dynamodb-match-draft-store.ts';
import { DynamoDbNoticeBoard } from '../shared/adapters/dynamodb/dynamodb-notice-board.ts';
import { DynamoDbPairStore } from '../shared/adapters/dynamodb/dynamodb-pair-store.ts';
import { DynamoDbPersonalData } from '../shared/adapters/dynamodb/dynamodb-personal-data.ts';
import { DynamoDbRateLimits } from '../shared/adapters/dynamodb/dynamodb-rate-limits.ts';
import { DynamoDbRematchStore } from '../shared/adapters/dynamodb/dynamodb-rematch-store.ts';
import { DynamoDbReplyContexts } from '../shared/adapters/dynamodb/dynamodb-reply-contexts.ts';
import { DynamoDbReplyKeys } from '../shared/adapters/dynamodb/dynamodb-reply-keys.ts';
import { FileRawMailStore } from '../shared/adapters/files/file-raw-mail-store.ts';
import { S3RawMailStore } from '../shared/adapters/s3/s3-raw-mail-store.ts';
import { SesMailer } from '../shared/adapters/ses/ses-mailer.ts';
import { StepFunctionsEngine } from '../shared/adapters/sfn/step-functions-engine.ts';
import { baseUrl } from '../shared/base-url.ts';
import { defaultSendRate, sharedRateMailer } from '../shared/email/shared-send-rate.ts';
import {
  type DigestItemStore,
  type InboundLog,
  type MatchDraftStore,
  type PersonalDataStore,
  type RawMailStore,
  type RematchStore,
  type ReplyContextReader,
  systemClock,
  type WorkflowEngine,
} from '../shared/ports.ts';
import type { MailDeps } from '../shared/use-cases/send-emails.ts';
import { tracer } from './powertools.ts';

/**
 * The composition root of every Lambda handler: adapters built once per process from the
 * function's environment. The local stack sets the same variables (and points the AWS SDK at
 * its engines), so handlers run unchanged.
 */
const environmentSchema = z.object({
  TABLE_NAME: z.string({ error: 'TABLE_NAME is not set: the function needs the Tandem table name' }).min(1),
  INBOUND_DOMAIN: z.string().min(1).default('reply.localhost'),
  PUBLIC_API_URL: z.string().min(1).default('http://localhost'),
  FALLBACK_SENDER: z.string().min(1).default('tandem@localhost'),
  /** Courtesy replies a day, all senders together. */
  COURTESY_REPLIES_PER_DAY: z.coerce.number().int().positive().default(200),
  SES_CONFIGURATION_SET: z.string().min(1).optional(),
  SES_MAX_SEND_RATE: z.coerce.number().positive().default(defaultSendRate),
  COHORT_STATE_MACHINE_ARN: z.string().min(1).optional(),
  /** The inbound-mail bucket on AWS… */
  INBOUND_MAIL_BUCKET: z.string().min(1).optional(),
  /** …or a folder of raw messages on the local stack. */
  INBOUND_MAIL_DIR: z.string().min(1).optional(),
});

export interface HandlerDeps extends MailDeps {
  engine: WorkflowEngine;
  rawMail: RawMailStore;
  inbound: InboundLog;
  replyContexts: ReplyContextReader;
  drafts: MatchDraftStore;
  rematches: RematchStore;
  digests: DigestItemStore;
  personalData: PersonalDataStore;
}

let deps: HandlerDeps | undefined;

export function handlerDeps(): HandlerDeps {
  deps ??= createDeps(environmentSchema.parse(process.env));
  return deps;
}

/**
 * Forgets the adapters built so far, so the next handler call builds them from the
 * environment as it is now: a new local stack in the same process (never on Lambda).
 */
export function resetHandlerDeps(): void {
  deps = undefined;
}

function createDeps(env: z.output<typeof environmentSchema>): HandlerDeps {
  const db = tracer.captureAWSv3Client(createDocumentClient());
  // Retries are Tandem's own (deliverEmail): backoff with jitter, then a dead letter.
  const ses = tracer.captureAWSv3Client(new SESv2Client({ maxAttempts: 1 }));
  const table = env.TABLE_NAME;
  const limits = new DynamoDbRateLimits(db, table);
  return {
    limits,
    store: new DynamoDbCohortStore(db, table),
    pairs: new DynamoDbPairStore(db, table),
    drafts: new DynamoDbMatchDraftStore(db, table),
    answers: new DynamoDbAnswerStore(db, table),
    ledger: new DynamoDbEmailLedger(db, table),
    replyKeys: new DynamoDbReplyKeys(db, table),
    notices: new DynamoDbNoticeBoard(db, table),
    inbound: new DynamoDbInboundLog(db, table),
    replyContexts: new DynamoDbReplyContexts(db, table),
    rematches: new DynamoDbRematchStore(db, table),
    digests: new DynamoDbDigestItems(db, table),
    personalData: new DynamoDbPersonalData(db, table),
    // One budget per second in the table, shared by every function that sends.
    mailer: sharedRateMailer(
      new SesMailer(
        ses,
        env.SES_CONFIGURATION_SET ? { configurationSetName: env.SES_CONFIGURATION_SET } : {},
      ),
      limits,
      { perSecond: env.SES_MAX_SEND_RATE, clock: systemClock },
    ),
    engine: new StepFunctionsEngine(
      tracer.captureAWSv3Client(new SFNClient({})),
      env.COHORT_STATE_MACHINE_ARN,
    ),
    rawMail: env.INBOUND_MAIL_BUCKET
      ? new S3RawMailStore(tracer.captureAWSv3Client(new S3Client({})), env.INBOUND_MAIL_BUCKET)
      : env.INBOUND_MAIL_DIR
        ? new FileRawMailStore(env.INBOUND_MAIL_DIR)
        : missing('inbound mail (INBOUND_MAIL_BUCKET is not set)'),
    clock: systemClock,
    settings: {
      inboundDomain: env.INBOUND_DOMAIN,
      publicUrl: baseUrl(env.PUBLIC_API_URL),
      fallbackSender: env.FALLBACK_SENDER,
      courtesyRepliesPerDay: env.COURTESY_REPLIES_PER_DAY,
    },
  };
}

/** A dependency this function was not configured with: using it is a deployment mistake. */
function missing<T extends object>(what: string): T {
  return new Proxy({} as T, {
    get: () => {
      throw new Error(`This function is not configured for ${what}`);
    },
  });
}

import { SESv2Client } from '@aws-sdk/client-sesv2';
import { inject } from 'vitest';
import { localCredentials, localRegion } from '../../local/dynamodb-local.ts';
import { DynamoDbAnswerStore } from '../../shared/adapters/dynamodb/dynamodb-answer-store.ts';
import { DynamoDbCohortStore } from '../../shared/adapters/dynamodb/dynamodb-cohort-store.ts';
import { DynamoDbDigestItems } from '../../shared/adapters/dynamodb/dynamodb-digest-items.ts';
import { DynamoDbEmailLedger } from '../../shared/adapters/dynamodb/dynamodb-email-ledger.ts';
import { DynamoDbMatchDraftStore } from '../../shared/adapters/dynamodb/dynamodb-match-draft-store.ts';
import { DynamoDbNoticeBoard } from '../../shared/adapters/dynamodb/dynamodb-notice-board.ts';
import { DynamoDbPairStore } from '../../shared/adapters/dynamodb/dynamodb-pair-store.ts';
import { DynamoDbRateLimits } from '../../shared/adapters/dynamodb/dynamodb-rate-limits.ts';
import { DynamoDbRematchStore } from '../../shared/adapters/dynamodb/dynamodb-rematch-store.ts';
import { DynamoDbReplyKeys } from '../../shared/adapters/dynamodb/dynamodb-reply-keys.ts';
import { SesMailer } from '../../shared/adapters/ses/ses-mailer.ts';
import type { Clock } from '../../shared/ports.ts';
import type { RematchDeps } from '../../shared/use-cases/rematch.ts';
import type { DigestDeps } from '../../shared/use-cases/send-digest.ts';
import type { createTestTable } from './local-table.ts';

export const testSettings = {
  inboundDomain: 'reply.test.localhost',
  publicUrl: 'https://tandem.test',
  fallbackSender: 'tandem@test.localhost',
};

/** Every adapter on the test table, sending into the shared aws-ses-v2-local. */
export function mailDeps(
  table: Awaited<ReturnType<typeof createTestTable>>,
  clock: Clock,
): DigestDeps & RematchDeps & { ses: SESv2Client } {
  const ses = new SESv2Client({
    endpoint: inject('sesEndpoint'),
    region: localRegion,
    credentials: localCredentials,
    maxAttempts: 1,
  });
  const { db, tableName } = table;
  return {
    ses,
    store: new DynamoDbCohortStore(db, tableName),
    pairs: new DynamoDbPairStore(db, tableName),
    answers: new DynamoDbAnswerStore(db, tableName),
    ledger: new DynamoDbEmailLedger(db, tableName),
    replyKeys: new DynamoDbReplyKeys(db, tableName),
    notices: new DynamoDbNoticeBoard(db, tableName),
    rematches: new DynamoDbRematchStore(db, tableName),
    drafts: new DynamoDbMatchDraftStore(db, tableName),
    digests: new DynamoDbDigestItems(db, tableName),
    limits: new DynamoDbRateLimits(db, tableName),
    mailer: new SesMailer(ses, { configurationSetName: 'tandem-test' }),
    clock,
    settings: testSettings,
    delivery: { retry: { retries: 3, minTimeout: 1, maxTimeout: 5 } },
  };
}

export interface CapturedEmail {
  messageId: string;
  from: string;
  replyTo: string[];
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
  headers?: { name: string; value: string }[];
  at: number;
}

/** Every email aws-ses-v2-local captured for the given recipients (it is shared by all test files). */
export async function capturedEmails(recipients: string[]): Promise<CapturedEmail[]> {
  const { emails } = (await fetch(`${inject('sesEndpoint')}/store`).then((r) => r.json())) as {
    emails: CapturedEmail[];
  };
  const wanted = new Set(recipients);
  return emails.filter((email) =>
    email.destination.to.some((to) => wanted.has(to.replace(/^.*<([^>]+)>$/, '$1').toLowerCase())),
  );
}

export const header = (email: CapturedEmail, name: string) =>
  email.headers?.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;

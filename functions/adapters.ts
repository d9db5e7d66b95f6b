import { z } from 'zod';
import { createDocumentClient } from '../shared/adapters/dynamodb/document-client.ts';
import { DynamoDbCohortStore } from '../shared/adapters/dynamodb/dynamodb-cohort-store.ts';
import { DynamoDbMatchDraftStore } from '../shared/adapters/dynamodb/dynamodb-match-draft-store.ts';
import { type Clock, type CohortStore, type MatchDraftStore, systemClock } from '../shared/ports.ts';
import { tracer } from './powertools.ts';

/**
 * The composition root of every Lambda handler: adapters built once per process from the
 * function's environment. The local stack sets the same variables, so handlers run unchanged.
 */
const environmentSchema = z.object({
  TABLE_NAME: z.string({ error: 'TABLE_NAME is not set: the function needs the Tandem table name' }).min(1),
});

export interface HandlerDeps {
  store: CohortStore;
  drafts: MatchDraftStore;
  clock: Clock;
}

let deps: HandlerDeps | undefined;

export function handlerDeps(): HandlerDeps {
  if (!deps) {
    const env = environmentSchema.parse(process.env);
    const db = tracer.captureAWSv3Client(createDocumentClient());
    deps = {
      store: new DynamoDbCohortStore(db, env.TABLE_NAME),
      drafts: new DynamoDbMatchDraftStore(db, env.TABLE_NAME),
      clock: systemClock,
    };
  }
  return deps;
}

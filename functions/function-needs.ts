/**
 * What a function may do besides writing its own logs and traces, declared as data beside the
 * route table (`functions/api/routes.ts`) and the workflow's step list
 * (`infra/workflow/cohort-workflow.ts`). The stack grants exactly this and nothing more (see
 * docs/architecture.md, "Least privilege"): a function that declares nothing may only read the
 * table. Declare what the handler's use cases really call, down to the DynamoDB adapters.
 */
export interface FunctionNeeds {
  /**
   * The Tandem table. `read`: GetItem, BatchGetItem, Query, and decrypting with the data key.
   * `write`: also PutItem, UpdateItem and ConditionCheckItem (as transactions use them), and
   * encrypting. `none`: not at all (a function that answers from its configuration). Default
   * `read`.
   */
  table?: 'none' | 'read' | 'write';
  /** Deletes items (DeleteItem, also inside a transaction). Needs `table: 'write'`. */
  deletesItems?: boolean;
  /** Writes with BatchWriteItem (new reply keys for emails that expect a reply). Needs `table: 'write'`. */
  batchWrites?: boolean;
  /** Emails people: SES SendEmail from the sender identity through the configuration set. */
  sendsEmail?: boolean;
  /** Starts and stops executions of the cohort workflow. */
  controlsWorkflow?: boolean;
  /** Sends the answer a waiting workflow task expects (the organizers' approval): SendTaskSuccess. */
  completesTasks?: boolean;
  /** Reads the raw messages SES stored in the inbound-mail bucket (and decrypts them). */
  readsRawMail?: boolean;
}

/** The needs of a function that serves several declarations (one handler behind several routes). */
export function combinedNeeds(all: readonly FunctionNeeds[]): FunctionNeeds {
  // No table only when no declaration uses it; otherwise the most any of them needs.
  const combined: FunctionNeeds = all.every((needs) => needs.table === 'none') ? { table: 'none' } : {};
  for (const needs of all) {
    if (needs.table === 'write') combined.table = 'write';
    for (const flag of [
      'deletesItems',
      'batchWrites',
      'sendsEmail',
      'controlsWorkflow',
      'completesTasks',
      'readsRawMail',
    ] as const) {
      if (needs[flag]) combined[flag] = true;
    }
  }
  return combined;
}

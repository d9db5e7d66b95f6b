import { Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { IConstruct } from 'constructs';
import type { FunctionNeeds } from '../../functions/function-needs.ts';
import { tableDesign } from '../../shared/adapters/dynamodb/table-design.ts';
import { inboundMailPrefix } from '../../shared/adapters/s3/s3-raw-mail-store.ts';
import { nagArnPrefix, nagPseudo, nagReference } from '../nag-acknowledgements.ts';
import type { EmailSending } from './email-sending.ts';
import { inboundMailBucketName } from './inbound-mail-bucket.ts';

/** DynamoDB actions by declared need; transactions are authorized item by item with these. */
export const tableActions = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
  write: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
  deletesItems: ['dynamodb:DeleteItem'],
  batchWrites: ['dynamodb:BatchWriteItem'],
} as const;

/**
 * The data key's actions: reading the table or raw mail decrypts; writing the table also
 * encrypts (DynamoDB uses the key on the caller's behalf). No ReEncrypt, no wildcard.
 */
const keyActions = {
  read: ['kms:Decrypt'],
  write: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
} as const;

/** What a function's needs are granted on. Only what some declaration uses must be given. */
export interface GrantTargets {
  table: ITable;
  /** The customer-managed key of the table and the raw mail. */
  dataKey: IKey;
  email?: EmailSending;
  cohortStateMachine?: StateMachine;
}

/**
 * Grants a function exactly what it declares (see FunctionNeeds): the table and its named
 * indexes only, the data key only as far as reading or writing needs, and each service on its
 * own resource. `who` names the declaration in errors, e.g. `route POST /cohorts`.
 */
export function grantNeeds(
  fn: LambdaFunction,
  needs: FunctionNeeds,
  targets: GrantTargets,
  who: string,
): void {
  const access = needs.table ?? 'read';
  for (const flag of ['deletesItems', 'batchWrites'] as const) {
    if (needs[flag] && access !== 'write') {
      throw new Error(`${who} declares ${flag} but not table: 'write'. Declare table: 'write' as well.`);
    }
  }
  if (access !== 'none') grantTable(fn, access, needs, targets);

  if (needs.sendsEmail)
    required(targets.email, who, 'sendsEmail', 'the email sending construct').grantSend(fn);
  if (needs.controlsWorkflow || needs.completesTasks) {
    const need = needs.controlsWorkflow ? 'controlsWorkflow' : 'completesTasks';
    grantWorkflowAccess(fn, needs, required(targets.cohortStateMachine, who, need, 'the cohort workflow'));
  }
  if (needs.readsRawMail) grantRawMailRead(fn);
}

/** The table and its named indexes, and the data key only as far as reading or writing needs. */
function grantTable(
  fn: LambdaFunction,
  access: 'read' | 'write',
  needs: FunctionNeeds,
  targets: GrantTargets,
) {
  const { table, dataKey } = targets;
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: [
        ...tableActions.read,
        ...(access === 'write' ? tableActions.write : []),
        ...(needs.deletesItems ? tableActions.deletesItems : []),
        ...(needs.batchWrites ? tableActions.batchWrites : []),
      ],
      resources: [
        table.tableArn,
        ...tableDesign.indexes.map((index) => `${table.tableArn}/index/${index.indexName}`),
      ],
    }),
  );
  fn.addToRolePolicy(new PolicyStatement({ actions: [...keyActions[access]], resources: [dataKey.keyArn] }));
}

function required<T>(target: T | undefined, who: string, need: string, what: string): T {
  if (target === undefined)
    throw new Error(`${who} declares ${need}, but ${what} is not given to grantNeeds.`);
  return target;
}

/**
 * The cohort workflow, in a policy of its own: a step's function is part of the state machine
 * that this policy names, and the function waits for its default policy, so one policy would
 * make a dependency cycle. Controlling starts executions and stops them (a restart stops the
 * one running; `StopExecution` takes an execution ARN); completing answers a waiting task.
 */
function grantWorkflowAccess(fn: LambdaFunction, needs: FunctionNeeds, stateMachine: StateMachine): void {
  if (!fn.role) return;
  const { partition, region, account } = Stack.of(stateMachine);
  const statements = [];
  if (needs.controlsWorkflow) {
    statements.push(
      new PolicyStatement({ actions: ['states:StartExecution'], resources: [stateMachine.stateMachineArn] }),
      new PolicyStatement({
        actions: ['states:StopExecution'],
        resources: [
          `arn:${partition}:states:${region}:${account}:execution:${stateMachine.stateMachineName}:*`,
        ],
      }),
    );
  }
  if (needs.completesTasks) {
    statements.push(
      new PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: [stateMachine.stateMachineArn] }),
    );
  }
  const policy = new Policy(fn, 'WorkflowPolicy', { roles: [fn.role], statements });
  if (needs.controlsWorkflow) {
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagArnPrefix(stateMachine, 'states')}execution:${nagReference(stateMachine, 'Name')}:*]`,
      reason: 'Stopping executions of the cohort state machine only: a restart stops the one running.',
    });
  }
}

/**
 * Raw mail is read from the inbound-mail bucket's `inbound/` prefix only, by name (no
 * cross-stack reference); the objects are encrypted with the data key, granted with the table.
 */
function grantRawMailRead(fn: LambdaFunction): void {
  const stack = Stack.of(fn);
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['s3:GetObject'],
      resources: [`arn:${stack.partition}:s3:::${inboundMailBucketName(stack)}/${inboundMailPrefix}*`],
    }),
  );
  acknowledgeOn(fn.role?.node.tryFindChild('DefaultPolicy'), {
    id: `AwsSolutions-IAM5[Resource::${nagArnPrefix(stack, 's3')}tandem-inbound-mail-${nagPseudo(stack, 'account')}-${nagPseudo(stack, 'region')}/${inboundMailPrefix}*]`,
    reason:
      'Reads the raw messages SES stored, and only those: the inbound/ prefix of the inbound-mail bucket.',
  });
}

/** A finding acknowledged on one of the function's own policies, for the one resource it names. */
function acknowledgeOn(
  policy: IConstruct | undefined,
  acknowledgement: { id: string; reason: string },
): void {
  if (policy) Validations.of(policy).acknowledge(acknowledgement);
}

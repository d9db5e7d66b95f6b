import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import type { CfnStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { createApp } from '../../infra/app.ts';
import { projectRoot } from '../../infra/constructs/tandem-function.ts';
import { logicalIdOf } from '../../infra/logical-ids.ts';
import type { StatelessStack } from '../../infra/stacks/stateless-stack.ts';

/** Region and account the synthesized ARNs of the local stack are written with. */
export const localArnPrefix = { region: 'us-east-1', account: '000000000000' };

export interface StateMachineDefinition {
  logicalId: string;
  arn: string;
  /** The Amazon States Language definition, exactly as synthesized (tokens resolved to local ARNs). */
  definition: AslDefinition;
}

export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
}

export interface AslState {
  Type: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  TimestampPath?: string;
  Timestamp?: string;
  Seconds?: number;
  TimeoutSeconds?: number;
  Retry?: { ErrorEquals: string[]; IntervalSeconds?: number; BackoffRate?: number; MaxAttempts?: number }[];
  ResultPath?: string | null;
  ItemProcessor?: AslDefinition;
  Iterator?: AslDefinition;
  Branches?: AslDefinition[];
  [key: string]: unknown;
}

export interface WorkflowDefinitions {
  cohort: StateMachineDefinition;
  round: StateMachineDefinition;
  /** Lambda ARN (as written in the definitions) → the handler file the function runs. */
  handlers: Map<string, string>;
}

/**
 * Builds the CDK app in this process (bundling skipped: the definitions, not the bundles, are
 * needed) and resolves the two state machines' definition strings as the stateless stack's
 * template carries them — the same definitions `cdk synth` writes and `cdk deploy` deploys.
 * Token references (function ARNs, the round state machine's ARN) become local ARNs; nothing
 * else is changed.
 */
export function loadWorkflowDefinitions(): WorkflowDefinitions {
  // The app stages its assets into its output folder as it is built (22 MB: the console's
  // deployment layer). Left to CDK, that is a new temporary folder never removed, one per start
  // of the local stack; this one is removed once the definitions are read.
  const outdir = mkdtempSync(join(tmpdir(), 'tandem-workflow-app-'));
  try {
    return definitionsOf(
      createApp(new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } })).stateless,
    );
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function definitionsOf(stateless: StatelessStack): WorkflowDefinitions {
  const workflow = stateless.workflow;
  const handlers = new Map<string, string>();
  for (const [file, fn] of workflow.stepFunctions) {
    handlers.set(lambdaArn(logicalIdOf(fn)), join(projectRoot, 'functions', file));
  }
  const stateMachines = new Set([
    logicalIdOf(workflow.cohortStateMachine),
    logicalIdOf(workflow.roundStateMachine),
  ]);
  const load = (machine: typeof workflow.cohortStateMachine): StateMachineDefinition => {
    const id = logicalIdOf(machine);
    // The definition as the template carries it: CloudFormation intrinsics where CDK put tokens.
    const definitionString = stateless.resolve(
      (machine.node.defaultChild as CfnStateMachine).definitionString,
    );
    return {
      logicalId: id,
      arn: stateMachineArn(id),
      definition: JSON.parse(resolveTokens(definitionString, stateMachines)) as AslDefinition,
    };
  };
  return { cohort: load(workflow.cohortStateMachine), round: load(workflow.roundStateMachine), handlers };
}

export const lambdaArn = (logicalId: string) =>
  `arn:aws:lambda:${localArnPrefix.region}:${localArnPrefix.account}:function:${logicalId}`;
export const stateMachineArn = (logicalId: string) =>
  `arn:aws:states:${localArnPrefix.region}:${localArnPrefix.account}:stateMachine:${logicalId}`;

/** Resolves the CloudFormation intrinsics a synthesized definition string contains. */
function resolveTokens(value: unknown, stateMachines: Set<string>): string {
  if (typeof value === 'string') return value;
  const token = value as Record<string, unknown>;
  if ('Fn::Join' in token) {
    const [separator, parts] = token['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => resolveTokens(part, stateMachines)).join(separator);
  }
  if ('Fn::GetAtt' in token) {
    const [id] = token['Fn::GetAtt'] as [string, string];
    return stateMachines.has(id) ? stateMachineArn(id) : lambdaArn(id);
  }
  if ('Ref' in token) {
    const ref = token.Ref as string;
    if (ref === 'AWS::Partition') return 'aws';
    if (ref === 'AWS::Region') return localArnPrefix.region;
    if (ref === 'AWS::AccountId') return localArnPrefix.account;
    if (ref === 'AWS::URLSuffix') return 'amazonaws.com';
    return stateMachines.has(ref) ? stateMachineArn(ref) : ref;
  }
  throw new Error(`cannot resolve ${JSON.stringify(value)} in a state machine definition`);
}

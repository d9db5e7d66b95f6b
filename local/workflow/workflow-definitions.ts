import { join, relative } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { CfnStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { createApp } from '../../infra/app.ts';
import { projectRoot } from '../../infra/constructs/tandem-function.ts';

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
 * Synthesizes the CDK app in this process (bundling skipped: the definitions, not the bundles,
 * are needed) and reads the two state machines from the stateless stack's template — the same
 * definitions `cdk synth` writes and `cdk deploy` deploys. Token references (function ARNs,
 * the round state machine's ARN) become local ARNs; nothing else is changed.
 */
export function loadWorkflowDefinitions(): WorkflowDefinitions {
  const { app, stateless } = createApp(new App({ context: { 'aws:cdk:bundling-stacks': [] } }));
  const template = app.synth().getStackByName(stateless.stackName).template as {
    Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  };
  const workflow = stateless.workflow;
  const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
    Stack.of(stateless).resolve(
      (construct.node.defaultChild as CfnFunction | CfnStateMachine).logicalId,
    ) as string;

  const handlers = new Map<string, string>();
  for (const [file, fn] of workflow.stepFunctions) {
    handlers.set(lambdaArn(logicalId(fn)), join(projectRoot, 'functions', file));
  }
  const load = (machine: typeof workflow.cohortStateMachine): StateMachineDefinition => {
    const id = logicalId(machine);
    const resource = template.Resources[id];
    if (!resource) throw new Error(`the template has no state machine ${id}`);
    return {
      logicalId: id,
      arn: stateMachineArn(id),
      definition: JSON.parse(
        resolveTokens(resource.Properties.DefinitionString, template.Resources),
      ) as AslDefinition,
    };
  };
  return { cohort: load(workflow.cohortStateMachine), round: load(workflow.roundStateMachine), handlers };
}

export const lambdaArn = (logicalId: string) =>
  `arn:aws:lambda:${localArnPrefix.region}:${localArnPrefix.account}:function:${logicalId}`;
export const stateMachineArn = (logicalId: string) =>
  `arn:aws:states:${localArnPrefix.region}:${localArnPrefix.account}:stateMachine:${logicalId}`;

/** Resolves the CloudFormation intrinsics a synthesized definition string contains. */
function resolveTokens(value: unknown, resources: Record<string, { Type: string }>): string {
  if (typeof value === 'string') return value;
  const token = value as Record<string, unknown>;
  if ('Fn::Join' in token) {
    const [separator, parts] = token['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => resolveTokens(part, resources)).join(separator);
  }
  if ('Fn::GetAtt' in token) {
    const [id] = token['Fn::GetAtt'] as [string, string];
    return resources[id]?.Type === 'AWS::StepFunctions::StateMachine' ? stateMachineArn(id) : lambdaArn(id);
  }
  if ('Ref' in token) {
    const ref = token.Ref as string;
    if (ref === 'AWS::Partition') return 'aws';
    if (ref === 'AWS::Region') return localArnPrefix.region;
    if (ref === 'AWS::AccountId') return localArnPrefix.account;
    if (ref === 'AWS::URLSuffix') return 'amazonaws.com';
    return resources[ref]?.Type === 'AWS::StepFunctions::StateMachine' ? stateMachineArn(ref) : ref;
  }
  throw new Error(`cannot resolve ${JSON.stringify(value)} in a state machine definition`);
}

/** For messages: where a handler file lives, relative to the project. */
export const projectPath = (file: string) => relative(projectRoot, file);

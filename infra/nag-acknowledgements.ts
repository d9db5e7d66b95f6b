import { Stack, Token, Validations } from 'aws-cdk-lib';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { IConstruct } from 'constructs';
import { logicalIdOf, type WithResource } from './logical-ids.ts';

/**
 * The one finding every Tandem function raises by design, acknowledged on that function's own
 * role only (never stack-wide). Everything else a function may do is granted on named
 * resources (`grantNeeds`), so a wildcard in its policy is always reported.
 */
export function acknowledgeLambdaDefaults(fn: LambdaFunction): void {
  if (!fn.role) return;
  Validations.of(fn.role).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: 'The AWS-managed basic execution policy only allows writing this function’s own logs.',
  });
}

const pseudoParameters = { partition: 'AWS::Partition', account: 'AWS::AccountId', region: 'AWS::Region' };

/**
 * How cdk-nag writes the stack's partition, account or region in a finding: the literal once
 * CDK knows it (a deploy with credentials knows the account; cdk.json's partition-literals flag
 * gives the partition of a known region), the pseudo parameter otherwise.
 */
export function nagPseudo(scope: IConstruct, name: keyof typeof pseudoParameters): string {
  const value = Stack.of(scope)[name];
  return Token.isUnresolved(value) ? `<${pseudoParameters[name]}>` : value;
}

/** `arn:<partition>:<service>:<region>:<account>:` as cdk-nag writes it (S3: no region, no account). */
export function nagArnPrefix(scope: IConstruct, service: string): string {
  const partition = nagPseudo(scope, 'partition');
  if (service === 's3') return `arn:${partition}:s3:::`;
  return `arn:${partition}:${service}:${nagPseudo(scope, 'region')}:${nagPseudo(scope, 'account')}:`;
}

/** How cdk-nag names a resource attribute in a finding: `<LogicalId.Attribute>`. */
export const nagReference = (construct: WithResource, attribute: string) =>
  `<${logicalIdOf(construct)}.${attribute}>`;

/**
 * A state machine's role may invoke its step functions and their versions (`<arn>:*`, as CDK
 * grants Lambda invokes) and write traces and log deliveries, which take no resource.
 */
export function acknowledgeStateMachine(
  stateMachine: StateMachine,
  functions: Iterable<LambdaFunction>,
): void {
  const policy = stateMachine.role.node.tryFindChild('DefaultPolicy');
  if (!policy) return;
  Validations.of(policy).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'X-Ray and CloudWatch Logs delivery actions of the state machine do not support resource-level permissions.',
  });
  for (const fn of functions) {
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagReference(fn, 'Arn')}:*]`,
      reason: 'Invoking a step function includes its versions; the function itself is the resource.',
    });
  }
}

import { Validations } from 'aws-cdk-lib';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';

/**
 * Findings every Tandem function raises by design, acknowledged on that function's own role
 * and policy only (never stack-wide), each with its reason.
 */
export function acknowledgeLambdaDefaults(fn: LambdaFunction): void {
  const role = fn.role;
  if (!role) return;
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: 'The AWS-managed basic execution policy only allows writing this function’s own logs.',
  });
  const policy = role.node.tryFindChild('DefaultPolicy');
  if (!policy) return;
  Validations.of(policy).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'X-Ray PutTraceSegments/PutTelemetryRecords do not support resource-level permissions.',
  });
  for (const action of ['kms:ReEncrypt*', 'kms:GenerateDataKey*']) {
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Action::${action}]`,
      reason: 'Encrypt/decrypt grant on the one customer-managed key of the table; the key is the resource.',
    });
  }
}

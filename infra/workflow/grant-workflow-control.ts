import { Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { nagArnPrefix, nagReference } from '../nag-acknowledgements.ts';

/**
 * Start and stop the cohort state machine's executions and complete the task it waits on
 * (the organizer's approval). Task tokens carry no resource, so SendTaskSuccess is on `*`.
 */
export function grantWorkflowControl(fn: LambdaFunction, stateMachine: StateMachine): void {
  stateMachine.grantStartExecution(fn);
  const { partition, region, account } = Stack.of(stateMachine);
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['states:StopExecution'],
      resources: [
        `arn:${partition}:states:${region}:${account}:execution:${stateMachine.stateMachineName}:*`,
      ],
    }),
  );
  stateMachine.grantTaskResponse(fn);
  const policy = fn.role?.node.tryFindChild('DefaultPolicy');
  if (policy) {
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagArnPrefix(stateMachine, 'states')}execution:${nagReference(stateMachine, 'Name')}:*]`,
      reason: 'Stopping executions of the cohort state machine only: a restart stops the one running.',
    });
  }
}

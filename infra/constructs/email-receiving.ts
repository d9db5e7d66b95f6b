import { Duration, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { ReceiptRuleSet, TlsPolicy } from 'aws-cdk-lib/aws-ses';
import { Lambda as LambdaAction, LambdaInvocationType, S3 as S3Action } from 'aws-cdk-lib/aws-ses-actions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FunctionNeeds } from '../../functions/function-needs.ts';
import { inboundMailPrefix } from '../../shared/adapters/s3/s3-raw-mail-store.ts';
import type { DeployConfig } from '../deploy-config.ts';
import { encryptedQueueProps, queueNames } from './encrypted-queue.ts';
import { type GrantTargets, grantNeeds } from './grant-needs.ts';
import { TandemFunction } from './tandem-function.ts';

/**
 * Reads a reply's raw message, records it (answers, marks, notices), and may answer it: a
 * confirmation that expects a reply gets a new reply key, so it batch-writes too.
 */
export const inboundEmailNeeds: FunctionNeeds = {
  table: 'write',
  batchWrites: true,
  sendsEmail: true,
  readsRawMail: true,
};

export interface EmailReceivingProps {
  config: DeployConfig;
  grants: Pick<GrantTargets, 'table' | 'dataKey' | 'email'>;
  bucket: IBucket;
  environment: Record<string, string>;
}

/**
 * Replies: SES receives mail for the inbound domain (spam and virus scanning on, TLS
 * required), stores each raw message in the inbound-mail bucket, then invokes the function
 * that reads it. Activate the rule set once after the first deploy (see docs/deploy.md).
 */
export class EmailReceiving extends Construct {
  readonly ruleSet: ReceiptRuleSet;
  readonly inboundFunction: TandemFunction;
  /** SES receipt events the inbound function failed on every retry. */
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, { config, grants, bucket, environment }: EmailReceivingProps) {
    super(scope, id);
    // Events that fail every retry are kept for two weeks (an alarm says so): no reply is lost silently.
    const deadLetters = new Queue(this, 'InboundDeadLetters', {
      ...encryptedQueueProps(grants.dataKey, queueNames.inboundDeadLetters),
      retentionPeriod: Duration.days(14),
    });
    this.deadLetters = deadLetters;
    Validations.of(deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is the dead-letter queue of the inbound email function; it needs none of its own.',
    });
    this.inboundFunction = new TandemFunction(this, 'InboundEmail', {
      handlerFile: 'events/inbound-email.ts',
      description: 'Reads a reply SES received and records what it says',
      timeout: Duration.seconds(60),
      environment: { ...environment, INBOUND_MAIL_BUCKET: bucket.bucketName },
      deadLetterQueue: deadLetters,
      retryAttempts: 2,
    });
    grantNeeds(this.inboundFunction, inboundEmailNeeds, grants, 'the inbound email function');
    // Lambda puts a failed event on the dead-letter queue with the function's role: sending to
    // a queue encrypted with the data key takes a data key from it.
    this.inboundFunction.addToRolePolicy(
      new PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [grants.dataKey.keyArn],
      }),
    );

    this.ruleSet = new ReceiptRuleSet(this, 'RuleSet', {
      rules: [
        {
          recipients: [config.inboundDomain],
          scanEnabled: true,
          tlsPolicy: TlsPolicy.REQUIRE,
          actions: [
            new S3Action({ bucket, objectKeyPrefix: inboundMailPrefix }),
            new LambdaAction({ function: this.inboundFunction, invocationType: LambdaInvocationType.EVENT }),
          ],
        },
      ],
    });
  }
}

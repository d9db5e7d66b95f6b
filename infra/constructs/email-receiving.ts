import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { ReceiptRuleSet, TlsPolicy } from 'aws-cdk-lib/aws-ses';
import { Lambda as LambdaAction, LambdaInvocationType, S3 as S3Action } from 'aws-cdk-lib/aws-ses-actions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { inboundMailPrefix } from '../../shared/adapters/s3/s3-raw-mail-store.ts';
import type { DeployConfig } from '../deploy-config.ts';
import { acknowledgeLambdaDefaults, nagArnPrefix, nagPseudo } from '../nag-acknowledgements.ts';
import type { EmailSending } from './email-sending.ts';
import { grantTableReadWrite } from './grant-table.ts';
import { inboundMailBucketName } from './inbound-mail-bucket.ts';
import { TandemFunction } from './tandem-function.ts';

export interface EmailReceivingProps {
  config: DeployConfig;
  table: ITable;
  bucket: IBucket;
  email: EmailSending;
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

  constructor(
    scope: Construct,
    id: string,
    { config, table, bucket, email, environment }: EmailReceivingProps,
  ) {
    super(scope, id);
    // Events that fail every retry are kept for two weeks: no reply is lost silently.
    const deadLetters = new Queue(this, 'InboundDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
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
    const stack = Stack.of(this);
    this.inboundFunction.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [`arn:${stack.partition}:s3:::${inboundMailBucketName(stack)}/${inboundMailPrefix}*`],
      }),
    );
    grantTableReadWrite(this.inboundFunction, table);
    email.grantSend(this.inboundFunction);
    acknowledgeLambdaDefaults(this.inboundFunction);
    const policy = this.inboundFunction.role?.node.tryFindChild('DefaultPolicy');
    if (policy) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagArnPrefix(stack, 's3')}tandem-inbound-mail-${nagPseudo(stack, 'account')}-${nagPseudo(stack, 'region')}/${inboundMailPrefix}*]`,
        reason:
          'Reads the raw messages SES stored, and only those: the inbound/ prefix of the inbound-mail bucket.',
      });
    }

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

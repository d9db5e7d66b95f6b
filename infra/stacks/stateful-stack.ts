import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { tableDesign } from '../../shared/adapters/dynamodb/table-design.ts';
import { queueNames } from '../constructs/encrypted-queue.ts';
import { inboundMailBucketName } from '../constructs/inbound-mail-bucket.ts';
import { alarmTopicName } from '../constructs/monitoring.ts';
import { OrganizerSignIn } from '../constructs/organizer-sign-in.ts';
import { ConsoleHosting } from '../constructs/web-console.ts';
import type { DeployConfig } from '../deploy-config.ts';

/** Raw inbound mail is only needed until it is parsed; keep it briefly for support. */
const inboundMailRetention = Duration.days(30);

export interface StatefulStackProps extends StackProps {
  config: DeployConfig;
}

/**
 * Everything that holds data and must outlive a redeploy: the table, the data key, the inbound
 * mail bucket, the organizers' user pool and the web console's address (its app client's callback). Retained on stack deletion. (The user pool's small
 * pre-token-generation function lives here too: Cognito takes its triggers from the pool.)
 */
export class StatefulStack extends Stack {
  readonly table: Table;
  /**
   * The customer-managed key of everything Tandem keeps: the table, raw mail, the queues of
   * mail events, the alarm topic.
   */
  readonly dataKey: Key;
  readonly inboundMailBucket: Bucket;
  readonly signIn: OrganizerSignIn;
  /** The web console's bucket, distribution and app client: its address is part of sign-in. */
  readonly console: ConsoleHosting;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);

    this.dataKey = new Key(this, 'TableKey', {
      description: 'Encrypts Tandem data: the table, raw inbound mail, the mail-event queues, alarms',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.#letServicesUseTheKey();

    const string = AttributeType.STRING;
    this.table = new Table(this, 'Table', {
      partitionKey: { name: tableDesign.partitionKey, type: string },
      sortKey: { name: tableDesign.sortKey, type: string },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.dataKey,
      timeToLiveAttribute: tableDesign.timeToLiveAttribute,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of tableDesign.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: string },
        sortKey: { name: index.sortKey, type: string },
      });
    }

    const accessLogs = new Bucket(this, 'AccessLogBucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket; logging it into itself would loop.',
    });

    this.inboundMailBucket = new Bucket(this, 'InboundMailBucket', {
      bucketName: inboundMailBucketName(this),
      encryption: BucketEncryption.KMS,
      encryptionKey: this.dataKey,
      // One data key per bucket and period, not a KMS call per message.
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: false,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'inbound-mail/',
      lifecycleRules: [
        { expiration: inboundMailRetention, abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.signIn = new OrganizerSignIn(this, 'SignIn', { config: props.config });
    // What an admin needs to invite organizers (docs/deploy.md); the CLI finds the rest itself.
    new CfnOutput(this, 'UserPoolId', { value: this.signIn.userPool.userPoolId });
    new CfnOutput(this, 'SignInIssuer', { value: this.signIn.issuer });
    this.console = new ConsoleHosting(this, 'Console', { signIn: this.signIn });
    new CfnOutput(this, 'ConsoleUrl', { value: `${this.console.origin}/` });
  }

  /**
   * Services that write for Tandem encrypt with the data key, each only through its own
   * service and for its own resources: SES storing raw mail (S3 with the bucket key),
   * EventBridge delivering SES events to their queue (and its dead-letter queue), CloudWatch
   * alarms publishing to the alarm topic (SNS). Functions get theirs from their declared needs.
   */
  #letServicesUseTheKey(): void {
    const { partition, region, account } = this;
    const queueArn = (name: string) => `arn:${partition}:sqs:${region}:${account}:${name}`;
    const allow = (sid: string, service: string, actions: string[], conditions: Record<string, unknown>) =>
      this.dataKey.addToResourcePolicy(
        new PolicyStatement({
          sid,
          principals: [new ServicePrincipal(service)],
          actions,
          resources: ['*'],
          conditions: { StringEquals: conditions },
        }),
      );
    allow('EventBridgeDeliversSesEvents', 'events.amazonaws.com', ['kms:GenerateDataKey', 'kms:Decrypt'], {
      'aws:SourceAccount': account,
      'kms:ViaService': `sqs.${region}.amazonaws.com`,
      'kms:EncryptionContext:aws:sqs:arn': [
        queueArn(queueNames.sesEvents),
        queueArn(queueNames.sesEventsDeadLetters),
      ],
    });
    allow('SesStoresRawMail', 'ses.amazonaws.com', ['kms:GenerateDataKey'], {
      'kms:ViaService': `s3.${region}.amazonaws.com`,
      'kms:EncryptionContext:aws:s3:arn': `arn:${partition}:s3:::${inboundMailBucketName(this)}`,
    });
    allow('CloudWatchAlarmsPublish', 'cloudwatch.amazonaws.com', ['kms:GenerateDataKey', 'kms:Decrypt'], {
      'kms:ViaService': `sns.${region}.amazonaws.com`,
      'kms:EncryptionContext:aws:sns:topicArn': `arn:${partition}:sns:${region}:${account}:${alarmTopicName}`,
    });
  }
}

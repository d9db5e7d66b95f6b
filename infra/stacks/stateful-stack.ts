import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { tableDesign } from '../../shared/adapters/dynamodb/table-design.ts';
import { inboundMailBucketName } from '../constructs/inbound-mail-bucket.ts';
import { OrganizerSignIn } from '../constructs/organizer-sign-in.ts';
import type { DeployConfig } from '../deploy-config.ts';

/** Raw inbound mail is only needed until it is parsed; keep it briefly for support. */
const inboundMailRetention = Duration.days(30);

export interface StatefulStackProps extends StackProps {
  config: DeployConfig;
}

/**
 * Everything that holds data and must outlive a redeploy: the table, its key, the inbound
 * mail bucket, the organizers' user pool. Retained on stack deletion. (The user pool's small
 * pre-token-generation function lives here too: Cognito takes its triggers from the pool.)
 */
export class StatefulStack extends Stack {
  readonly table: Table;
  readonly tableKey: Key;
  readonly inboundMailBucket: Bucket;
  readonly signIn: OrganizerSignIn;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);

    this.tableKey = new Key(this, 'TableKey', {
      description: 'Encrypts the Tandem table: participants, answers and the email ledger',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const string = AttributeType.STRING;
    this.table = new Table(this, 'Table', {
      partitionKey: { name: tableDesign.partitionKey, type: string },
      sortKey: { name: tableDesign.sortKey, type: string },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.tableKey,
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
      encryption: BucketEncryption.S3_MANAGED,
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
  }
}

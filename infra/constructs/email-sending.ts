import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFn } from 'aws-cdk-lib/aws-lambda';
import {
  ConfigurationSet,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
} from 'aws-cdk-lib/aws-ses';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { DeployConfig } from '../deploy-config.ts';
import { acknowledgeLambdaDefaults } from '../nag-acknowledgements.ts';
import { grantTableReadWrite } from './grant-table.ts';
import { TandemFunction } from './tandem-function.ts';

export interface EmailSendingProps {
  config: DeployConfig;
  table: ITable;
}

/**
 * Outbound email: the sender domain identity (DKIM), a configuration set whose events (sent,
 * delivered, bounced, complained) go to EventBridge, and the function that acts on them.
 */
export class EmailSending extends Construct {
  readonly configurationSet: ConfigurationSet;
  readonly identity: EmailIdentity;
  readonly eventsFunction: TandemFunction;

  constructor(scope: Construct, id: string, { config, table }: EmailSendingProps) {
    super(scope, id);
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', { reputationMetrics: true });
    this.identity = new EmailIdentity(this, 'SenderIdentity', {
      identity: Identity.domain(config.senderDomain),
      configurationSet: this.configurationSet,
    });
    this.configurationSet.addEventDestination('ToEventBridge', {
      destination: EventDestination.eventBus(EventBus.fromEventBusName(this, 'DefaultBus', 'default')),
      events: [
        EmailSendingEvent.SEND,
        EmailSendingEvent.DELIVERY,
        EmailSendingEvent.BOUNCE,
        EmailSendingEvent.COMPLAINT,
      ],
    });

    this.eventsFunction = new TandemFunction(this, 'SesEvents', {
      handlerFile: 'events/ses-events.ts',
      description:
        'Acts on SES events: settles the email ledger, suppresses bounced and complaining addresses',
      environment: { TABLE_NAME: table.tableName },
    });
    grantTableReadWrite(this.eventsFunction, table);
    acknowledgeLambdaDefaults(this.eventsFunction);

    // Events that keep failing are kept for two weeks, never dropped.
    const deadLetters = new Queue(this, 'SesEventsDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is the dead-letter queue of the SES events rule target; it needs none of its own.',
    });
    new Rule(this, 'SesEventsRule', {
      description: "SES events of Tandem's configuration set",
      eventPattern: {
        source: ['aws.ses'],
        detail: { mail: { tags: { 'ses:configuration-set': [this.configurationSet.configurationSetName] } } },
      },
      targets: [new LambdaFunction(this.eventsFunction, { deadLetterQueue: deadLetters, retryAttempts: 8 })],
    });
  }

  /** Lets a function send through the configuration set from the sender identity. */
  grantSend(fn: LambdaFn): void {
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [this.identity.emailIdentityArn, this.configurationSetArn()],
      }),
    );
  }

  private configurationSetArn(): string {
    const { region, account, partition } = this.configurationSet.stack;
    return `arn:${partition}:ses:${region}:${account}:configuration-set/${this.configurationSet.configurationSetName}`;
  }
}

import { Annotations, Duration, Validations } from 'aws-cdk-lib';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFn } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import {
  ConfigurationSet,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
} from 'aws-cdk-lib/aws-ses';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FunctionNeeds } from '../../functions/function-needs.ts';
import type { DeployConfig } from '../deploy-config.ts';
import { encryptedQueueProps, queueNames } from './encrypted-queue.ts';
import { type GrantTargets, grantNeeds } from './grant-needs.ts';
import { TandemFunction } from './tandem-function.ts';

/**
 * How the SES events function takes its queue: up to 100 events at once, gathered for up to
 * 5 s. SES reports every message at least twice (Send, Delivery), so reading the ledger a batch
 * at a time, not an event at a time, is most of what the function costs. The local stack feeds
 * it the same way.
 */
export const sesEventBatch = { size: 100, windowSeconds: 5 } as const;

/** Settles the ledger and marks bounced or complaining participants: writes, never sends. */
export const sesEventsNeeds: FunctionNeeds = { table: 'write' };

export interface EmailSendingProps {
  config: DeployConfig;
  grants: Pick<GrantTargets, 'table' | 'dataKey'>;
}

/**
 * Outbound email: the sender domain identity (DKIM), a configuration set whose events (sent,
 * delivered, bounced, complained) go to EventBridge, a queue that gathers them, and the
 * function that acts on them in batches.
 */
export class EmailSending extends Construct {
  readonly configurationSet: ConfigurationSet;
  readonly identity: EmailIdentity;
  readonly eventsFunction: TandemFunction;
  /** The queue the events function reads, and where events that keep failing are kept. */
  readonly eventsQueue: Queue;
  readonly eventsDeadLetters: Queue;

  constructor(scope: Construct, id: string, { config, grants }: EmailSendingProps) {
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
      timeout: Duration.seconds(30),
      environment: { TABLE_NAME: grants.table.tableName },
    });
    grantNeeds(this.eventsFunction, sesEventsNeeds, grants, 'the SES events function');

    // Events that keep failing are kept for two weeks (an alarm says so), never dropped.
    const deadLetters = new Queue(this, 'SesEventsDeadLetters', {
      ...encryptedQueueProps(grants.dataKey, queueNames.sesEventsDeadLetters),
      retentionPeriod: Duration.days(14),
    });
    this.eventsDeadLetters = deadLetters;
    Validations.of(deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is the dead-letter queue of the SES events queue and rule; it needs none of its own.',
    });
    const queue = new Queue(this, 'SesEventsQueue', {
      ...encryptedQueueProps(grants.dataKey, queueNames.sesEvents),
      // Six times the function's timeout (AWS's advice), so a batch is not redelivered mid-run.
      visibilityTimeout: Duration.seconds(180),
      deadLetterQueue: { queue: deadLetters, maxReceiveCount: 8 },
    });
    this.eventsQueue = queue;
    const rule = new Rule(this, 'SesEventsRule', {
      description: "SES events of Tandem's configuration set",
      eventPattern: {
        source: ['aws.ses'],
        detail: { mail: { tags: { 'ses:configuration-set': [this.configurationSet.configurationSetName] } } },
      },
    });
    // The rule sees the queue without its key, so CDK grants EventBridge no key use of its own
    // (unconditioned, on the whole key): the data key's policy lets it encrypt for these two
    // queues only, and each queue's policy names this rule.
    const unkeyed = Queue.fromQueueAttributes(this, 'SesEventsQueueForRule', {
      queueArn: queue.queueArn,
      queueUrl: queue.queueUrl,
      queueName: queue.queueName,
    });
    rule.addTarget(new SqsQueue(unkeyed, { deadLetterQueue: deadLetters, retryAttempts: 8 }));
    Annotations.of(rule).acknowledgeWarning(
      '@aws-cdk/aws-events:ruleUnresolvedEnvironment',
      'The queue seen without its key is this stack’s own queue: same account and region.',
    );
    queue.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('events.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [queue.queueArn],
        conditions: { ArnEquals: { 'aws:SourceArn': rule.ruleArn } },
      }),
    );
    this.eventsFunction.addEventSource(
      new SqsEventSource(queue, {
        batchSize: sesEventBatch.size,
        maxBatchingWindow: Duration.seconds(sesEventBatch.windowSeconds),
        reportBatchItemFailures: true,
        // A few batches at a time are plenty, and leave the table's capacity to the cohorts.
        maxConcurrency: 2,
      }),
    );
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

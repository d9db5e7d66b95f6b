import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

/**
 * The alarm topic's name, fixed so the data key's policy (in the stateful stack) can let
 * CloudWatch encrypt for this topic only.
 */
export const alarmTopicName = 'tandem-alarms';

/** SES pauses an account's sending above these (account-level reputation metrics, as fractions). */
export const sesReputationLimits = { bounceRate: 0.05, complaintRate: 0.001 } as const;

/**
 * A dead-letter queue and where `tandem dlq --redrive` sends its messages back: the queue it
 * is the dead-letter queue of, or the function whose failed asynchronous events it keeps.
 */
export interface WatchedDeadLetterQueue {
  /** PascalCase, names the stack outputs: `<name>DeadLetterQueueUrl`, `<name>RedriveQueueArn`… */
  name: string;
  queue: IQueue;
  redrive: { queue: IQueue } | { function: IFunction };
  /** What a message there is, for the alarm's description. */
  holds: string;
}

export interface MonitoringProps {
  organizerEmail: string;
  dataKey: IKey;
  deadLetterQueues: WatchedDeadLetterQueue[];
  stateMachines: { name: string; stateMachine: StateMachine }[];
  /** Functions whose errors and throttles lose or delay mail (the event-driven ones). */
  functions: { name: string; fn: IFunction }[];
  api: HttpApi;
}

const period = Duration.minutes(5);
const howTo = 'See docs/deploy.md, "Alarms".';

/**
 * What the operator hears about: one encrypted, TLS-only SNS topic that mails the deploy's
 * organizer address; an alarm per signal that needs someone (a dead letter, a failed
 * execution, a function failing or throttled, SES reputation near a pause, API server
 * errors); a dashboard of the same signals.
 */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.topic = new Topic(this, 'AlarmTopic', {
      topicName: alarmTopicName,
      displayName: 'Tandem alarms',
      masterKey: props.dataKey,
      enforceSSL: true,
    });
    // The topic policy replaces SNS's default one: CloudWatch may publish for this account's alarms.
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*`,
          },
        },
      }),
    );
    this.topic.addSubscription(new EmailSubscription(props.organizerEmail));

    const dlqWidgets = props.deadLetterQueues.map((dlq) => {
      const depth = dlq.queue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' });
      this.#alarm(`${dlq.name}DeadLetters`, depth, {
        threshold: 1,
        description: `${dlq.holds} failed every retry and wait in the ${dlq.name} dead-letter queue (kept 14 days). Inspect with \`tandem dlq\`, fix the cause, then \`tandem dlq --redrive\`. ${howTo}`,
      });
      this.#outputs(dlq);
      return depth;
    });

    const executionsFailed = props.stateMachines.map(({ name, stateMachine }) => {
      const failed = stateMachine.metricFailed({ period, statistic: 'Sum', label: `${name} failed` });
      this.#alarm(`${name}ExecutionsFailed`, failed, {
        threshold: 1,
        description: `An execution of the ${name} state machine failed: a cohort's workflow stopped. The organizers have a notice; continue with \`tandem restart <cohort>\` once the cause is fixed. ${howTo}`,
      });
      return failed;
    });

    const functionMetrics = props.functions.flatMap(({ name, fn }) => {
      const errors = fn.metricErrors({ period, statistic: 'Sum', label: `${name} errors` });
      const throttles = fn.metricThrottles({ period, statistic: 'Sum', label: `${name} throttles` });
      this.#alarm(`${name}Errors`, errors, {
        threshold: 1,
        description: `The ${name} function failed. Its events are retried, then kept in a dead-letter queue. Read its logs. ${howTo}`,
      });
      this.#alarm(`${name}Throttles`, throttles, {
        threshold: 1,
        description: `The ${name} function was throttled: the account's Lambda concurrency is exhausted, mail events wait. ${howTo}`,
      });
      return [errors, throttles];
    });

    const reputation = (metricName: string, label: string) =>
      new Metric({
        namespace: 'AWS/SES',
        metricName,
        statistic: 'Maximum',
        period: Duration.minutes(15),
        label,
      });
    const bounceRate = reputation('Reputation.BounceRate', 'SES bounce rate');
    const complaintRate = reputation('Reputation.ComplaintRate', 'SES complaint rate');
    this.#alarm('SesBounceRate', bounceRate, {
      threshold: sesReputationLimits.bounceRate,
      above: true,
      description: `The account's SES bounce rate is above 5%: SES reviews, then pauses sending. Check imported addresses (typos, old lists). ${howTo}`,
    });
    this.#alarm('SesComplaintRate', complaintRate, {
      threshold: sesReputationLimits.complaintRate,
      above: true,
      description: `The account's SES complaint rate is above 0.1%: SES reviews, then pauses sending. Make sure every participant applied and knows the program. ${howTo}`,
    });

    const serverErrors = props.api.metricServerError({ period, statistic: 'Sum', label: 'API 5xx' });
    this.#alarm('Api5xx', serverErrors, {
      threshold: 1,
      description: `The HTTP API answered with server errors (5xx): a function failed or timed out. Read the access logs and the route's function logs. ${howTo}`,
    });

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `Tandem-${stack.region}`,
      defaultInterval: Duration.days(7),
    });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# Tandem\nEvery graph has an alarm that mails the organizer address. What each means and what to do: docs/deploy.md, "Alarms".`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 }));
    this.dashboard.addWidgets(
      graph('Dead letters waiting', dlqWidgets),
      graph('Workflow executions failed', executionsFailed),
      graph('Mail functions: errors and throttles', functionMetrics.flat()),
    );
    this.dashboard.addWidgets(
      graph('SES reputation (SES pauses at 5% bounces, 0.1% complaints)', [bounceRate, complaintRate]),
      graph('HTTP API', [
        serverErrors,
        props.api.metricClientError({ period, statistic: 'Sum', label: 'API 4xx' }),
        props.api.metricCount({ period, statistic: 'Sum', label: 'Requests' }),
      ]),
    );
  }

  #alarm(id: string, metric: IMetric, options: { threshold: number; description: string; above?: boolean }) {
    const alarm = new Alarm(this, id, {
      metric,
      threshold: options.threshold,
      comparisonOperator: options.above
        ? ComparisonOperator.GREATER_THAN_THRESHOLD
        : ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // No data is no trouble: an idle queue or function publishes nothing.
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: options.description,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }

  /** What `tandem dlq` reads from the stack: each dead-letter queue and where to redrive it. */
  #outputs(dlq: WatchedDeadLetterQueue): void {
    const stack = Stack.of(this);
    new CfnOutput(stack, `${dlq.name}DeadLetterQueueUrl`, { value: dlq.queue.queueUrl });
    if ('queue' in dlq.redrive) {
      new CfnOutput(stack, `${dlq.name}RedriveQueueArn`, { value: dlq.redrive.queue.queueArn });
    } else {
      new CfnOutput(stack, `${dlq.name}RedriveFunctionName`, { value: dlq.redrive.function.functionName });
    }
  }
}

const graph = (title: string, metrics: IMetric[]) => new GraphWidget({ title, left: metrics, width: 8 });

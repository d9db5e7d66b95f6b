import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../support/cdk-app.ts';

type Metric = { MetricName?: string; Namespace?: string; Dimensions?: { Name: string; Value: unknown }[] };
type Alarm = {
  Properties: Metric & {
    Metrics?: { MetricStat: { Metric: Metric } }[];
    Threshold: number;
    ComparisonOperator: string;
    AlarmActions: unknown[];
    AlarmDescription: string;
    TreatMissingData: string;
  };
};

/** An alarm's one metric, whether written plainly or (with a label) as a metric query. */
const metricOf = (alarm: Alarm): Metric =>
  alarm.Properties.Metrics?.[0]?.MetricStat.Metric ?? alarm.Properties;

describe('monitoring: alarms to the organizer, a dashboard', () => {
  let template: Template;
  let alarms: Alarm[];
  /** The alarm on this metric whose dimensions mention `resource` (a logical id, in part). */
  const alarmOn = (metricName: string, resource?: string) => {
    const found = alarms.filter(
      (alarm) =>
        metricOf(alarm).MetricName === metricName &&
        (resource === undefined || JSON.stringify(metricOf(alarm).Dimensions).includes(resource)),
    );
    expect(found, `${metricName} ${resource ?? ''}`).toHaveLength(1);
    return found[0] as Alarm;
  };

  beforeAll(() => {
    template = Template.fromStack(
      buildApp({
        senderDomain: 'mail.example.org',
        organizerEmail: 'ld-team@example.org',
        region: 'eu-west-1',
      }).stateless,
    );
    alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Alarm[];
  });

  it("mails the deploy's organizer address through one encrypted, TLS-only topic", () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'tandem-alarms',
      KmsMasterKeyId: { 'Fn::ImportValue': Match.stringLikeRegexp('TableKey') },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ld-team@example.org',
    });
    const policy = JSON.stringify(template.findResources('AWS::SNS::TopicPolicy'));
    expect(policy).toContain('"aws:SecureTransport":"false"');
    expect(policy).toContain('cloudwatch.amazonaws.com');
    const [topicId] = Object.keys(template.findResources('AWS::SNS::Topic'));
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.AlarmDescription).toContain('docs/deploy.md');
      expect(alarm.Properties.TreatMissingData).toBe('notBreaching');
    }
  });

  it('alarms as soon as a dead-letter queue holds a message: SES events and inbound replies', () => {
    for (const queue of ['SesEventsDeadLetters', 'InboundDeadLetters']) {
      const alarm = alarmOn('ApproximateNumberOfMessagesVisible', queue);
      expect(alarm.Properties).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
    expect(
      alarms.filter((a) => a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible'),
    ).toHaveLength(2);
  });

  it('alarms on a failed execution of either state machine', () => {
    for (const machine of ['CohortStateMachine', 'RoundStateMachine']) {
      expect(alarmOn('ExecutionsFailed', machine).Properties.Threshold).toBe(1);
    }
  });

  it('alarms on errors and throttles of the inbound email and SES events functions', () => {
    for (const fn of ['ReceivingInboundEmail', 'EmailSesEvents']) {
      for (const metric of ['Errors', 'Throttles']) {
        expect(alarmOn(metric, fn).Properties).toMatchObject({
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        });
      }
    }
  });

  it('alarms before SES pauses the account: bounce rate over 5%, complaint rate over 0.1%', () => {
    expect(metricOf(alarmOn('Reputation.BounceRate')).Namespace).toBe('AWS/SES');
    expect(alarmOn('Reputation.BounceRate').Properties).toMatchObject({
      Threshold: 0.05,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expect(metricOf(alarmOn('Reputation.ComplaintRate')).Namespace).toBe('AWS/SES');
    expect(alarmOn('Reputation.ComplaintRate').Properties).toMatchObject({
      Threshold: 0.001,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    // Account-level metrics: no dimension.
    expect(metricOf(alarmOn('Reputation.BounceRate')).Dimensions).toBeUndefined();
  });

  it('alarms on server errors of the HTTP API', () => {
    const alarm = alarmOn('5xx', 'HttpApi');
    expect(metricOf(alarm).Namespace).toBe('AWS/ApiGateway');
    expect(alarm.Properties.Threshold).toBe(1);
  });

  it('has a dashboard of the same signals, with the alarms', () => {
    const dashboards = template.findResources('AWS::CloudWatch::Dashboard');
    expect(Object.keys(dashboards)).toHaveLength(1);
    const body = JSON.stringify(Object.values(dashboards)[0]?.Properties.DashboardBody);
    for (const metric of [
      'ApproximateNumberOfMessagesVisible',
      'ExecutionsFailed',
      'Errors',
      'Throttles',
      'Reputation.BounceRate',
      'Reputation.ComplaintRate',
      '5xx',
    ]) {
      expect(body, metric).toContain(metric);
    }
    // The alarm status widget lists every alarm.
    for (const id of Object.keys(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(body, id).toContain(id);
    }
  });

  it('outputs each dead-letter queue and where `tandem dlq --redrive` sends it back', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(JSON.stringify(outputs.SesEventsDeadLetterQueueUrl?.Value)).toContain('SesEventsDeadLetters');
    expect(JSON.stringify(outputs.SesEventsRedriveQueueArn?.Value)).toContain('SesEventsQueue');
    expect(JSON.stringify(outputs.InboundDeadLetterQueueUrl?.Value)).toContain('InboundDeadLetters');
    expect(JSON.stringify(outputs.InboundRedriveFunctionName?.Value)).toContain('ReceivingInboundEmail');
  });
});

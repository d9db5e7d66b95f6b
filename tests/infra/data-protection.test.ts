import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../support/cdk-app.ts';

type KeyStatement = {
  Sid?: string;
  Principal: { Service?: string; AWS?: unknown };
  Action: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
};

describe('data protection: one customer-managed key for everything kept', () => {
  let stateful: Template;
  let stateless: Template;
  let keyStatements: KeyStatement[];
  beforeAll(() => {
    const app = buildApp();
    stateful = Template.fromStack(app.stateful);
    stateless = Template.fromStack(app.stateless);
    const [key] = Object.values(stateful.findResources('AWS::KMS::Key'));
    keyStatements = key?.Properties.KeyPolicy.Statement as KeyStatement[];
  });

  it('encrypts raw mail with the data key (SSE-KMS, bucket key), not SSE-S3', () => {
    const [keyId] = Object.keys(stateful.findResources('AWS::KMS::Key'));
    stateful.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: Match.anyValue(),
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] },
            },
          },
        ],
      },
    });
  });

  it('encrypts every queue with the data key, TLS only', () => {
    const queues = stateless.findResources('AWS::SQS::Queue');
    expect(Object.keys(queues)).toHaveLength(3);
    for (const [id, queue] of Object.entries(queues)) {
      expect(JSON.stringify(queue.Properties.KmsMasterKeyId), id).toContain('TableKey');
      expect(queue.Properties.SqsManagedSseEnabled, id).toBeUndefined();
    }
    const policies = Object.values(stateless.findResources('AWS::SQS::QueuePolicy'));
    expect(policies).toHaveLength(3);
    for (const policy of policies) expect(JSON.stringify(policy)).toContain('"aws:SecureTransport":"false"');
  });

  it('lets services use the key only through their own service, for their own resource', () => {
    const byService = (service: string) => keyStatements.filter((s) => s.Principal.Service === service);
    for (const service of ['ses.amazonaws.com', 'events.amazonaws.com', 'cloudwatch.amazonaws.com']) {
      const statements = byService(service);
      expect(statements, service).toHaveLength(1);
      const condition = statements[0]?.Condition?.StringEquals ?? {};
      expect(condition['kms:ViaService'], service).toBeDefined();
      expect(
        Object.keys(condition).some((name) => name.startsWith('kms:EncryptionContext:')),
        service,
      ).toBe(true);
      expect(JSON.stringify(statements[0]?.Action)).not.toContain('*');
    }
    // No other service principal: nothing granted the whole key unconditioned.
    expect(keyStatements.filter((s) => s.Principal.Service)).toHaveLength(3);
  });

  it('logs state-machine executions without execution data: no task token, no email address', () => {
    const machines = Object.values(stateless.findResources('AWS::StepFunctions::StateMachine'));
    expect(machines).toHaveLength(2);
    for (const machine of machines) {
      expect(machine.Properties.LoggingConfiguration).toMatchObject({ IncludeExecutionData: false });
    }
  });
});

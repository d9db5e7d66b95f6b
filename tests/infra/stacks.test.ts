import { Match, Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../functions/api/routes.ts';
import { createApp } from '../../infra/app.ts';
import { cliRedirectUris } from '../../shared/sign-in.ts';
import { buildApp as build, testApp } from '../support/cdk-app.ts';

describe('stateful stack', () => {
  let template: Template;
  beforeAll(() => {
    template = Template.fromStack(build().stateful);
  });

  it('has one on-demand table with PITR, a customer-managed key, TTL and the gsi1 index', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        Match.objectLike({
          IndexName: 'gsi1',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
        }),
      ],
    });
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain' });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('signs organizers in with a Cognito user pool: managed login, code flow with PKCE, optional MFA, admins', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolTier: 'PLUS',
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: true }),
      UsernameAttributes: ['email'],
      LambdaConfig: {
        PreTokenGenerationConfig: { LambdaArn: Match.anyValue(), LambdaVersion: 'V2_0' },
      },
    });
    template.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain' });
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'admins' });
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { ManagedLoginVersion: 2 });
    template.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', { UseCognitoProvidedValues: true });
    // The CLI: a public client (no secret), the code flow only, on loopback redirects.
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'tandem-cli',
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: cliRedirectUris,
      EnableTokenRevocation: true,
    });
    // The first admin is invited, and in the admins group.
    template.hasResourceProperties('AWS::Cognito::UserPoolUser', { Username: 'organizer@example.org' });
    template.hasResourceProperties('AWS::Cognito::UserPoolUserToGroupAttachment', {
      GroupName: { Ref: Match.stringLikeRegexp('Admins') },
      Username: { Ref: Match.stringLikeRegexp('FirstAdmin') },
    });
  });

  it('gives each script its own client-credentials app client, scoped to its cohorts', () => {
    const { stateful } = build({
      senderDomain: 'mail.example.org',
      organizerEmail: 'you@example.org',
      region: 'eu-west-1',
      automationClients: '[{"name": "hr-sync", "cohorts": ["spring-2027"]}, {"name": "ops", "admin": true}]',
    });
    const scripts = Template.fromStack(stateful);
    scripts.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'tandem',
      Scopes: [
        { ScopeName: 'admin', ScopeDescription: Match.anyValue() },
        { ScopeName: 'cohort:spring-2027', ScopeDescription: Match.anyValue() },
      ],
    });
    scripts.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'tandem-script-hr-sync',
      GenerateSecret: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthScopes: [{ 'Fn::Join': ['', [{ Ref: Match.anyValue() }, '/cohort:spring-2027']] }],
    });
    scripts.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'tandem-script-ops',
      AllowedOAuthScopes: [{ 'Fn::Join': ['', [{ Ref: Match.anyValue() }, '/admin']] }],
    });
  });

  it('keeps inbound mail in an encrypted, private, TLS-only bucket that expires objects', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) }),
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: { LogFilePrefix: 'inbound-mail/' },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 30, Status: 'Enabled' })] },
    });
    const policies = template.findResources('AWS::S3::BucketPolicy');
    const denyInsecure = Object.values(policies).filter((policy) =>
      JSON.stringify(policy).includes('"aws:SecureTransport":"false"'),
    );
    // Inbound mail and the access logs; the web console's files and their logs.
    expect(denyInsecure).toHaveLength(4);
  });
});

describe('stateless stack', () => {
  let template: Template;
  let stepFunctionCount: number;
  beforeAll(() => {
    const { stateless } = build();
    template = Template.fromStack(stateless);
    stepFunctionCount = stateless.workflow.stepFunctions.size;
  });

  it('runs every function on Node.js 24, arm64, with tracing and JSON logs', () => {
    const functions = template.findResources('AWS::Lambda::Function');
    // One per route handler, the SES events and inbound email functions, one per workflow step handler.
    const routeHandlers = new Set(apiRoutes.map((route) => route.handler));
    expect(Object.keys(functions)).toHaveLength(routeHandlers.size + 2 + stepFunctionCount);
    for (const fn of Object.values(functions)) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON' },
      });
      expect(fn.Properties.Environment.Variables).toHaveProperty('TABLE_NAME');
    }
  });

  it('outputs what the deploy steps need: the API URL, the receipt rule set, the state machine', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining(['ApiUrl', 'ReceiptRuleSetName', 'CohortStateMachineArn']),
    );
    expect(JSON.stringify(outputs.ReceiptRuleSetName?.Value)).toContain('RuleSet');
  });

  it('throttles every public route on its own, well under the stage (organizers keep theirs)', () => {
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0] as {
      Properties: {
        RouteSettings?: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }>;
      };
    };
    const settings = stage.Properties.RouteSettings ?? {};
    const publicKeys = apiRoutes.filter((r) => r.access === 'public').map((r) => `${r.method} ${r.path}`);
    expect(Object.keys(settings).sort()).toEqual(publicKeys.sort());
    for (const key of publicKeys) {
      expect(settings[key]?.ThrottlingRateLimit).toBeLessThanOrEqual(10);
      expect(settings[key]?.ThrottlingBurstLimit).toBeLessThanOrEqual(20);
    }
  });

  it('puts every signed-in route behind the JWT authorizer of the user pool, and no route on IAM', () => {
    const authorizers = template.findResources('AWS::ApiGatewayV2::Authorizer');
    expect(Object.values(authorizers)).toHaveLength(1);
    const [authorizerId, authorizer] = Object.entries(authorizers)[0] ?? [];
    expect(authorizer?.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        // The user pool's issuer, and its app clients as the audience (imported from the stateful stack).
        Issuer: { 'Fn::ImportValue': expect.stringMatching(/UserPool.*ProviderURL/) },
        Audience: [
          { 'Fn::ImportValue': expect.stringMatching(/CliClient/) },
          { 'Fn::ImportValue': expect.stringMatching(/ConsoleClient/) },
        ],
      },
    });
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route'));
    expect(routes).toHaveLength(apiRoutes.length);
    for (const route of apiRoutes) {
      const deployed = routes.filter((r) => r.Properties.RouteKey === `${route.method} ${route.path}`);
      expect(deployed, `${route.method} ${route.path}`).toHaveLength(1);
      expect(deployed[0]?.Properties, `${route.method} ${route.path}`).toMatchObject(
        route.access === 'public'
          ? { AuthorizationType: 'NONE' }
          : { AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } },
      );
    }
    expect(JSON.stringify(routes)).not.toContain('AWS_IAM');
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
  });

  it('sends through a configuration set whose events reach the SES events function in batches', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({
        Enabled: true,
        MatchingEventTypes: Match.arrayWith(['send', 'delivery', 'bounce', 'complaint']),
        EventBridgeDestination: Match.anyValue(),
      }),
    });
    // EventBridge → a queue (with a dead-letter queue) → the function, a batch at a time.
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ source: ['aws.ses'] }),
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('SesEventsQueue'), 'Arn'] },
          DeadLetterConfig: Match.anyValue(),
          RetryPolicy: { MaximumRetryAttempts: 8 },
        }),
      ],
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('SesEventsDeadLetters'), 'Arn'] },
        maxReceiveCount: 8,
      },
      VisibilityTimeout: 180,
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('SesEventsQueue'), 'Arn'] },
      FunctionName: { Ref: Match.stringLikeRegexp('SesEvents') },
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'example.org' });
  });

  it('grants functions the table and its named index only', () => {
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).toContain('/index/gsi1');
    expect(policies).not.toContain('/index/*');
  });
});

/** A state machine's definition, with every CloudFormation reference replaced by a marker. */
type State = {
  Type: string;
  Resource?: string;
  Retry?: { ErrorEquals: string[]; MaxAttempts?: number }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  TimeoutSeconds?: number;
  HeartbeatSeconds?: number;
  ItemProcessor?: { ProcessorConfig?: { Mode?: string }; States: Record<string, State> };
  Next?: string;
};
const definitionOf = (resource: { Properties: { DefinitionString: unknown } }) => {
  const parts = (resource.Properties.DefinitionString as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
  const text = parts.map((part) => (typeof part === 'string' ? part : 'REF')).join('');
  return JSON.parse(text) as { QueryLanguage?: string; States: Record<string, State> };
};

describe('cohort workflow', () => {
  type Machine = { Properties: Record<string, unknown> & { DefinitionString: unknown } };
  let machines: Record<string, Machine>;
  beforeAll(() => {
    machines = Template.fromStack(build().stateless).findResources(
      'AWS::StepFunctions::StateMachine',
    ) as Record<string, Machine>;
  });
  const machine = (name: 'Cohort' | 'Round') => {
    const found = Object.entries(machines).find(([id]) => id.startsWith(`Workflow${name}StateMachine`));
    if (!found) throw new Error(`no ${name} state machine`);
    return { properties: found[1].Properties, states: definitionOf(found[1]).States };
  };

  it('deploys a Standard cohort machine and a round machine, both traced and logged', () => {
    expect(Object.keys(machines)).toHaveLength(2);
    for (const name of ['Cohort', 'Round'] as const) {
      expect(machine(name).properties).toMatchObject({
        StateMachineType: 'STANDARD',
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: { Level: 'ALL' },
      });
    }
  });

  it('retries every task with backoff and catches every failure into a notification', () => {
    for (const name of ['Cohort', 'Round'] as const) {
      const { states } = machine(name);
      const tasks = Object.entries(states).filter(([, state]) => state.Type === 'Task');
      expect(tasks.length).toBeGreaterThan(5);
      for (const [taskName, task] of tasks) {
        expect(task.Retry?.length, taskName).toBeGreaterThan(0);
        expect(
          task.Catch?.flatMap((c) => c.ErrorEquals),
          taskName,
        ).toContain('States.ALL');
      }
      const notify = Object.keys(states).find((stateName) => stateName.endsWith('NotifyFailure'));
      expect(notify).toBeDefined();
      for (const [stateName, state] of Object.entries(states)) {
        if (!stateName.endsWith('Failed') || state.Type !== 'Pass') continue;
        expect(state.Next, stateName).toBe(notify);
      }
    }
  });

  it('waits three days for the approval, then reminds, then escalates', () => {
    const { states } = machine('Cohort');
    expect(states.AwaitApproval).toMatchObject({
      Resource: expect.stringContaining('waitForTaskToken'),
      TimeoutSeconds: 72 * 3600,
    });
    expect(states.AwaitApprovalAfterReminder?.TimeoutSeconds).toBe(72 * 3600);
    expect(states.AwaitApprovalAfterEscalation?.Resource).toContain('waitForTaskToken');
    expect(states.RunRound?.Resource).toContain('states:startExecution.sync');
  });

  it('uses only what the local interpreter runs: no Distributed Map, heartbeats or JSONata', () => {
    for (const name of ['Cohort', 'Round'] as const) {
      const definition = JSON.stringify(machine(name).states);
      expect(definition).not.toContain('DISTRIBUTED');
      expect(definition).not.toContain('HeartbeatSeconds');
      expect(definition).not.toContain('JSONata');
    }
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('finds no unacknowledged problem in either stack', () => {
    const { app } = build();
    const report = new AwsSolutionsChecks(app).validateScope(app);
    const problems = report.violations.flatMap((violation) =>
      violation.violatingResources.map(
        (resource) => `${violation.ruleName} at ${resource.resourceLogicalId}`,
      ),
    );
    expect(problems).toEqual([]);
  });

  it('finds none either as a deploy synthesizes them: account known, deploy parameters given', () => {
    const account = process.env.CDK_DEFAULT_ACCOUNT;
    process.env.CDK_DEFAULT_ACCOUNT = '123456789012';
    try {
      const { app } = createApp(
        testApp({ senderDomain: 'mail.example.org', organizerEmail: 'you@example.org', region: 'eu-west-1' }),
      );
      const report = new AwsSolutionsChecks(app).validateScope(app);
      expect(report.violations.map((violation) => violation.ruleName)).toEqual([]);
      expect(() => app.synth()).not.toThrow();
    } finally {
      if (account === undefined) delete process.env.CDK_DEFAULT_ACCOUNT;
      else process.env.CDK_DEFAULT_ACCOUNT = account;
    }
  });

  it('reports a problem when one is introduced (the check is live)', () => {
    const { app, stateless } = build();
    new Queue(stateless, 'QueueWithoutDeadLetterQueue');
    const report = new AwsSolutionsChecks(app).validateScope(app);
    expect(report.violations.map((violation) => violation.ruleName)).toContain('AwsSolutions-SQS3');
  });
});

import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../functions/api/routes.ts';
import { grantNeeds } from '../../infra/constructs/grant-needs.ts';
import { TandemFunction } from '../../infra/constructs/tandem-function.ts';
import type { StatelessStack } from '../../infra/stacks/stateless-stack.ts';
import { workflowStepNeeds } from '../../infra/workflow/cohort-workflow.ts';
import { buildApp, testApp } from '../support/cdk-app.ts';

/**
 * What each function may do, written out by hand from what its handler's use cases call in
 * shared/adapters/dynamodb (transactions are authorized per item: Put, Update, ConditionCheck),
 * SES, Step Functions and S3. Not derived from the declarations: a declaration that drifts from
 * this list fails here, and so does a grant that gives more than the list.
 */
const read = ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query', 'kms:Decrypt'];
const write = [
  ...read,
  'dynamodb:ConditionCheckItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'kms:Encrypt',
  'kms:GenerateDataKey',
];
/** New reply keys for messages that expect a reply go in with BatchWriteItem. */
const mailsParticipants = [...write, 'dynamodb:BatchWriteItem', 'ses:SendEmail'];
const mailsOrganizers = [...write, 'ses:SendEmail'];
const expectedActions: Record<string, string[]> = {
  'route submit-application': mailsParticipants,
  // Where to sign in: from its environment, nothing else.
  'route get-auth-config': [],
  'route list-cohorts': read,
  'route list-applicants': read,
  // A program checked and its emails rendered from the request alone.
  'route preview-program': [],
  'route launch-cohort': [...write, 'states:StartExecution', 'states:StopExecution'],
  'route get-cohort-status': read,
  'route import-applications': write,
  'route get-reply-address': write,
  'route confirm-link': write,
  'route unsubscribe-link': write,
  // The no-fault exit confirmed by link: ends the pairs, confirms by email (no reply expected);
  // the partner left behind may be rematched at once (`rematch: automatic`): introductions with reply keys.
  'route exit-link': mailsParticipants,
  // Dead letters claimed again and sent as they were written (their reply keys exist already).
  'route resend-dead-letters': mailsOrganizers,
  // The organizers' actions on pairs: the list reads; a nudge writes new reply keys and mails
  // participants; a close, a rematch or an approval may introduce new pairs (reply keys) and mail.
  'route list-pairs': read,
  'route nudge-pair': mailsParticipants,
  'route close-pair': mailsParticipants,
  'route request-rematch': mailsParticipants,
  'route approve-rematches': mailsParticipants,
  'route create-match-draft': write,
  'route get-match-draft': read,
  'route approve-match-draft': [...write, 'states:SendTaskSuccess'],
  'route pin-pair': write,
  'route forbid-pair': write,
  'route set-capacity': write,
  'route control-cohort': [...write, 'states:StartExecution', 'states:StopExecution'],
  'route get-cohort-report': read,
  'route export-cohort': read,
  // The suppression item and the redacted items are puts; the erased items go in batch deletes.
  'route forget-person': [...write, 'dynamodb:BatchWriteItem'],
  'step plan-intake': read,
  'step send-pending-confirmations': mailsParticipants,
  'step close-intake': write,
  'step compute-match-draft': write,
  'step request-approval': [...mailsOrganizers, 'states:SendTaskSuccess'],
  'step start-pairs': write,
  'step plan-wave': read,
  'step send-wave-batch': mailsParticipants,
  'step plan-next-step': read,
  'step start-round': read,
  'step plan-round-close': read,
  // The engagement ladder: the partner asked, the silent side (new reply keys), pairs closed.
  'step climb-ladder': mailsParticipants,
  'step close-round': mailsOrganizers,
  // Ends the cohort's reply keys: written again with an expiry, in batches.
  'step close-cohort': [...write, 'dynamodb:BatchWriteItem'],
  'step report-cohort': mailsOrganizers,
  'step plan-purge': read,
  // The archive in a transaction, the personal items in batch deletes.
  'step purge-cohort': [...write, 'dynamodb:BatchWriteItem'],
  'step notify-failure': mailsOrganizers,
  // Replies: reads the raw message, may answer (pause, rematch confirmations); a failed event
  // goes to its encrypted dead-letter queue.
  'inbound-email': [...mailsParticipants, 's3:GetObject', 'sqs:SendMessage'],
  // Reads its queue; settles the ledger, marks bounced participants.
  'ses-events': [
    ...write,
    'sqs:ChangeMessageVisibility',
    'sqs:DeleteMessage',
    'sqs:GetQueueAttributes',
    'sqs:GetQueueUrl',
    'sqs:ReceiveMessage',
  ],
};

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };
type PolicyResource = {
  Properties: { Roles: { Ref: string }[]; PolicyDocument: { Statement: Statement[] } };
};

describe('least privilege: every function gets only what it uses', () => {
  let stateless: StatelessStack;
  let template: Template;
  let functions: Map<string, LambdaFunction>;
  const logicalId = (fn: LambdaFunction) => Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnElement);
  const roleId = (fn: LambdaFunction) => Stack.of(fn).getLogicalId(fn.role?.node.defaultChild as CfnElement);
  /** Every statement of every policy attached to the function's role. */
  const statementsOf = (fn: LambdaFunction) =>
    Object.values(template.findResources('AWS::IAM::Policy') as Record<string, PolicyResource>)
      .filter((policy) => policy.Properties.Roles.some((role) => role.Ref === roleId(fn)))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
  const actionsOf = (fn: LambdaFunction) =>
    [...new Set(statementsOf(fn).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])))].sort();

  beforeAll(() => {
    stateless = buildApp().stateless;
    template = Template.fromStack(stateless);
    functions = new Map<string, LambdaFunction>([
      ...[...stateless.routeFunctions].map(([handler, fn]) => [`route ${handler}`, fn] as const),
      ...[...stateless.workflow.stepFunctions].map(
        ([file, fn]) => [`step ${file.replace(/^workflow\/|\.ts$/g, '')}`, fn] as const,
      ),
      ['inbound-email', stateless.receiving.inboundFunction],
      ['ses-events', stateless.email.eventsFunction],
    ]);
  });

  it('covers every function of the stack', () => {
    expect([...functions.keys()].sort()).toEqual(Object.keys(expectedActions).sort());
    const deployed = Object.keys(template.findResources('AWS::Lambda::Function')).sort();
    expect([...functions.values()].map(logicalId).sort()).toEqual(deployed);
  });

  it.each(Object.keys(expectedActions))('%s: exactly its action set', (name) => {
    const fn = functions.get(name);
    if (!fn) throw new Error(`no function ${name}`);
    expect(actionsOf(fn)).toEqual([...new Set(expectedActions[name])].sort());
  });

  it('grants no function DeleteItem, ReEncrypt or a wildcard action', () => {
    for (const [name, fn] of functions) {
      const actions = actionsOf(fn);
      expect(actions, name).not.toContain('dynamodb:DeleteItem');
      expect(
        actions.filter((action) => action.includes('*')),
        name,
      ).toEqual([]);
      expect(
        actions.filter((action) => action.startsWith('kms:ReEncrypt')),
        name,
      ).toEqual([]);
    }
  });

  it('names the resource of every statement: the table and its index, the data key, the queue…', () => {
    for (const [name, fn] of functions) {
      for (const statement of statementsOf(fn)) {
        expect(statement.Resource, `${name}: ${JSON.stringify(statement.Action)}`).not.toBe('*');
        const resources = JSON.stringify(statement.Resource);
        const actions = JSON.stringify(statement.Action);
        if (actions.includes('dynamodb:')) {
          expect(resources).toContain('FnGetAttTable');
          expect(resources).toContain('/index/gsi1');
          expect(resources).not.toContain('/index/*');
        }
        if (actions.includes('kms:')) expect(resources, name).toContain('FnGetAttTableKey');
      }
    }
  });

  it('traces through one shared X-Ray policy: no function policy needs a `*` resource', () => {
    const tracing = template.findResources('AWS::IAM::ManagedPolicy');
    expect(Object.keys(tracing)).toHaveLength(1);
    const [tracingId] = Object.keys(tracing);
    const roles = template.findResources('AWS::IAM::Role');
    for (const [name, fn] of functions) {
      const managed = JSON.stringify(roles[roleId(fn)]?.Properties.ManagedPolicyArns);
      expect(managed, name).toContain('AWSLambdaBasicExecutionRole');
      expect(managed, name).toContain(tracingId);
    }
  });

  it('the declarations agree with the routes and steps the stack builds', () => {
    const declaredSteps = Object.keys(workflowStepNeeds).sort();
    const builtSteps = [...functions.keys()]
      .filter((name) => name.startsWith('step '))
      .map((name) => name.slice(5))
      .sort();
    expect(builtSteps).toEqual(declaredSteps);
    const routeHandlers = [...new Set(apiRoutes.map((route) => route.handler))].sort();
    expect([...stateless.routeFunctions.keys()].sort()).toEqual(routeHandlers);
  });
});

describe('grantNeeds: the declaration convention', () => {
  /** A bare stack with a table, its key and one function, for one declaration at a time. */
  const fixture = () => {
    const app = testApp();
    const stack = new Stack(app, 'Fixture');
    const dataKey = new Key(stack, 'Key');
    const table = new Table(stack, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      encryptionKey: dataKey,
    });
    const fn = new TandemFunction(stack, 'NewStep', { handlerFile: 'workflow/plan-intake.ts' });
    return { app, stack, fn, targets: { table, dataKey } };
  };
  const actions = (stack: Stack) =>
    Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[])
      .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]))
      .sort();

  it('gives a function that declares nothing read access only', () => {
    const { stack, fn, targets } = fixture();
    grantNeeds(fn, {}, targets, 'workflow step new-step');
    expect(actions(stack)).toEqual(read);
  });

  it('refuses deletes or batch writes without table write access, saying what to declare', () => {
    const { fn, targets } = fixture();
    expect(() => grantNeeds(fn, { deletesItems: true }, targets, 'route DELETE /cohorts/{cohortId}')).toThrow(
      "route DELETE /cohorts/{cohortId} declares deletesItems but not table: 'write'. Declare table: 'write' as well.",
    );
  });

  it('refuses a need whose resource the stack did not give', () => {
    const { fn, targets } = fixture();
    expect(() => grantNeeds(fn, { sendsEmail: true }, targets, 'workflow step new-step')).toThrow(
      /workflow step new-step declares sendsEmail, but the email sending construct is not given/,
    );
  });

  it('grants DeleteItem only to a function that declares it', () => {
    const { stack, fn, targets } = fixture();
    grantNeeds(fn, { table: 'write', deletesItems: true }, targets, 'route DELETE /x');
    expect(actions(stack)).toContain('dynamodb:DeleteItem');
    expect(actions(stack)).not.toContain('dynamodb:BatchWriteItem');
  });

  it('lets cdk-nag report a wildcard someone adds to a function: no blanket acknowledgement hides it', () => {
    const { app, stack, fn, targets } = fixture();
    grantNeeds(fn, {}, targets, 'workflow step new-step');
    fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
    const report = new AwsSolutionsChecks(app).validateScope(stack);
    const findings = report.violations.flatMap((violation) =>
      violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`),
    );
    expect(findings).toContain(
      'AwsSolutions-IAM5[Resource::*] at Fixture/NewStep/ServiceRole/DefaultPolicy/Resource',
    );
  });
});

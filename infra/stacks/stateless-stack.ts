import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import {
  type CfnStage,
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { apiRoutes } from '../../functions/api/routes.ts';
import { combinedNeeds } from '../../functions/function-needs.ts';
import { EmailReceiving } from '../constructs/email-receiving.ts';
import { EmailSending } from '../constructs/email-sending.ts';
import { grantNeeds } from '../constructs/grant-needs.ts';
import { Monitoring } from '../constructs/monitoring.ts';
import type { OrganizerSignIn } from '../constructs/organizer-sign-in.ts';
import { TandemFunction } from '../constructs/tandem-function.ts';
import type { DeployConfig } from '../deploy-config.ts';
import { CohortWorkflow } from '../workflow/cohort-workflow.ts';

export interface StatelessStackProps extends StackProps {
  table: ITable;
  /** The stateful stack's customer-managed key: the table's, raw mail's, the queues' and the alarm topic's. */
  dataKey: IKey;
  inboundMailBucket: IBucket;
  /** Where organizers sign in: the issuer and app clients whose tokens the API accepts. */
  signIn: Pick<OrganizerSignIn, 'issuer' | 'audience' | 'cliClient'>;
  /** The web console's origin: the only page allowed to call the API from a browser (CORS). */
  consoleOrigin: string;
  config: DeployConfig;
}

/** Code that can be replaced at any time: functions and the HTTP API. */
export class StatelessStack extends Stack {
  readonly api: HttpApi;
  readonly email: EmailSending;
  readonly emailEnvironment: Record<string, string>;
  readonly workflow: CohortWorkflow;
  readonly receiving: EmailReceiving;
  readonly monitoring: Monitoring;
  /** The function of each API route handler, e.g. `submit-application`. */
  readonly routeFunctions = new Map<string, TandemFunction>();

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { table, dataKey, config, inboundMailBucket, signIn } = props;

    this.api = new HttpApi(this, 'HttpApi', {
      apiName: 'tandem',
      description: 'Tandem: applications and links (public), organizer operations (signed-in organizers)',
      createDefaultStage: false,
      // The web console calls the API from its own origin, with a token (no cookie).
      corsPreflight: {
        allowOrigins: [props.consoleOrigin],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST],
        allowHeaders: ['authorization', 'content-type'],
        maxAge: Duration.minutes(10),
      },
    });
    const accessLogs = new LogGroup(this, 'HttpApiAccessLogs', { retention: RetentionDays.ONE_MONTH });
    const stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs) },
      throttle: { rateLimit: 50, burstLimit: 100 },
    });
    const routeThrottles: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};

    this.email = new EmailSending(this, 'Email', { config, grants: { table, dataKey } });
    const grants = { table, dataKey, email: this.email };
    /** What every function needs to build emails: where replies and links point, how fast to send. */
    this.emailEnvironment = {
      TABLE_NAME: table.tableName,
      INBOUND_DOMAIN: config.inboundDomain,
      PUBLIC_API_URL: this.api.apiEndpoint,
      SES_CONFIGURATION_SET: this.email.configurationSet.configurationSetName,
      SES_MAX_SEND_RATE: String(config.sesMaxSendRate),
      FALLBACK_SENDER: `tandem@${config.senderDomain}`,
    };
    this.receiving = new EmailReceiving(this, 'Receiving', {
      config,
      grants,
      bucket: inboundMailBucket,
      environment: this.emailEnvironment,
    });

    this.workflow = new CohortWorkflow(this, 'Workflow', {
      grants,
      environment: this.emailEnvironment,
      approvalRemindAfter: Duration.hours(config.approvalRemindAfterHours),
      approvalEscalateAfter: Duration.hours(config.approvalEscalateAfterHours),
    });
    const { cohortStateMachine } = this.workflow;

    // Every signed-in route: a valid Cognito access token of one of Tandem's app clients. Who
    // may do what (organizers of a cohort, admins) is decided by the function (routes.ts).
    const organizers = new HttpJwtAuthorizer('Organizers', signIn.issuer, {
      authorizerName: 'organizers',
      jwtAudience: signIn.audience,
    });
    const functions = new Map<string, { fn: TandemFunction; integration: HttpLambdaIntegration }>();
    for (const route of apiRoutes) {
      let handler = functions.get(route.handler);
      if (!handler) {
        const fn = new TandemFunction(this, pascal(route.handler), {
          handlerFile: `api/${route.handler}.ts`,
          description: `${route.method} ${route.path}`,
          timeout: Duration.seconds(29),
          ...(route.memorySize ? { memorySize: route.memorySize } : {}),
          environment: {
            ...this.emailEnvironment,
            COHORT_STATE_MACHINE_ARN: cohortStateMachine.stateMachineArn,
            SIGN_IN_ISSUER: signIn.issuer,
            SIGN_IN_CLI_CLIENT_ID: signIn.cliClient.userPoolClientId,
          },
        });
        grantNeeds(
          fn,
          combinedNeeds(apiRoutes.filter((other) => other.handler === route.handler)),
          { ...grants, cohortStateMachine },
          `route handler ${route.handler}`,
        );
        this.routeFunctions.set(route.handler, fn);
        handler = { fn, integration: new HttpLambdaIntegration(`${pascal(route.handler)}Integration`, fn) };
        functions.set(route.handler, handler);
      }
      const [created] = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: handler.integration,
        ...(route.access === 'public' ? {} : { authorizer: organizers }),
      });
      if (route.throttle && created) {
        routeThrottles[`${route.method} ${route.path}`] = {
          ThrottlingRateLimit: route.throttle.rateLimit,
          ThrottlingBurstLimit: route.throttle.burstLimit,
        };
        // A route's settings name its route key: the route exists first.
        stage.node.addDependency(created);
      }
      if (route.access === 'public' && created) {
        Validations.of(created).acknowledge({ id: 'AwsSolutions-APIG4', reason: route.publicBecause });
      }
    }

    (stage.node.defaultChild as CfnStage).routeSettings = routeThrottles;

    // What the deploy steps (docs/deploy.md) need: the CLI's --api-url and the rule set to activate.
    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
    new CfnOutput(this, 'ReceiptRuleSetName', { value: this.receiving.ruleSet.receiptRuleSetName });
    new CfnOutput(this, 'CohortStateMachineArn', { value: cohortStateMachine.stateMachineArn });

    this.monitoring = new Monitoring(this, 'Monitoring', {
      organizerEmail: config.organizerEmail,
      dataKey,
      deadLetterQueues: [
        {
          name: 'SesEvents',
          queue: this.email.eventsDeadLetters,
          redrive: { queue: this.email.eventsQueue },
          holds: 'SES events (sent, delivered, bounced, complained)',
        },
        {
          name: 'Inbound',
          queue: this.receiving.deadLetters,
          redrive: { function: this.receiving.inboundFunction },
          holds: 'Replies (SES receipt events)',
        },
      ],
      stateMachines: [
        { name: 'Cohort', stateMachine: cohortStateMachine },
        { name: 'Round', stateMachine: this.workflow.roundStateMachine },
      ],
      functions: [
        { name: 'InboundEmail', fn: this.receiving.inboundFunction },
        { name: 'SesEvents', fn: this.email.eventsFunction },
      ],
      api: this.api,
    });
  }
}

const pascal = (name: string) => name.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase());

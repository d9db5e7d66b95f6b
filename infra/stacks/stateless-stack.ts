import { Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { apiRoutes } from '../../functions/api/routes.ts';
import { grantTableReadWrite } from '../constructs/grant-table.ts';
import { TandemFunction } from '../constructs/tandem-function.ts';
import type { DeployConfig } from '../deploy-config.ts';
import { acknowledgeLambdaDefaults } from '../nag-acknowledgements.ts';

export interface StatelessStackProps extends StackProps {
  table: ITable;
  config: DeployConfig;
}

/** Code that can be replaced at any time: functions and the HTTP API. */
export class StatelessStack extends Stack {
  readonly api: HttpApi;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { table, config } = props;

    this.api = new HttpApi(this, 'HttpApi', {
      apiName: 'tandem',
      description: 'Tandem: applications (public) and organizer operations (IAM)',
      createDefaultStage: false,
    });
    const accessLogs = new LogGroup(this, 'HttpApiAccessLogs', { retention: RetentionDays.ONE_MONTH });
    new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs) },
      throttle: { rateLimit: 50, burstLimit: 100 },
    });

    const organizerAuth = new HttpIamAuthorizer();
    for (const route of apiRoutes) {
      const fn = new TandemFunction(this, pascal(route.handler), {
        handlerFile: `api/${route.handler}.ts`,
        description: `${route.method} ${route.path}`,
        timeout: Duration.seconds(29),
        environment: { TABLE_NAME: table.tableName, ORGANIZER_EMAIL: config.organizerEmail },
        ...(route.memorySize ? { memorySize: route.memorySize } : {}),
      });
      grantTableReadWrite(fn, table);
      acknowledgeLambdaDefaults(fn);
      const [created] = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${pascal(route.handler)}Integration`, fn),
        ...(route.access === 'organizer' ? { authorizer: organizerAuth } : {}),
      });
      if (route.access === 'public' && created) {
        Validations.of(created).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            'Applicants have no account by design: this route validates every field, and the stage is throttled.',
        });
      }
    }
  }
}

const pascal = (name: string) => name.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase());

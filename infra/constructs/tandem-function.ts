import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, type NodejsFunctionProps, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

export const projectRoot = join(import.meta.dirname, '..', '..');

export interface TandemFunctionProps extends Omit<NodejsFunctionProps, 'entry'> {
  /** Handler file, relative to functions/, e.g. `api/submit-application.ts`. */
  handlerFile: string;
}

/**
 * A Lambda function with the team's defaults: Node.js 24 on arm64, bundled by esbuild (no
 * Docker), JSON logs kept a month, X-Ray tracing and Powertools configured.
 */
export class TandemFunction extends NodejsFunction {
  constructor(
    scope: Construct,
    id: string,
    { handlerFile, environment, bundling, ...props }: TandemFunctionProps,
  ) {
    super(scope, id, {
      entry: join(projectRoot, 'functions', handlerFile),
      handler: 'handler',
      projectRoot,
      depsLockFilePath: join(projectRoot, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      loggingFormat: LoggingFormat.JSON,
      logGroup: new LogGroup(scope, `${id}Logs`, {
        retention: RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
      bundling: {
        format: OutputFormat.CJS,
        target: 'node24',
        minify: true,
        sourceMap: true,
        ...bundling,
      },
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'tandem',
        POWERTOOLS_METRICS_NAMESPACE: 'Tandem',
        ...environment,
      },
      ...props,
    });
  }
}

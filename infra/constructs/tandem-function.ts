import { join } from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, type CfnFunction, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, type NodejsFunctionProps, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { acknowledgeLambdaDefaults } from '../nag-acknowledgements.ts';

export const projectRoot = join(import.meta.dirname, '..', '..');

export interface TandemFunctionProps extends Omit<NodejsFunctionProps, 'entry'> {
  /** Handler file, relative to functions/, e.g. `api/submit-application.ts`. */
  handlerFile: string;
}

/**
 * A Lambda function with the team's defaults: Node.js 24 on arm64, bundled by esbuild (no
 * Docker), JSON logs kept a month, X-Ray tracing and Powertools configured. Its role starts with
 * nothing but its logs and traces; grant the rest with `grantNeeds`.
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
    // Tracing through the stack's one X-Ray policy, not a `*` statement in each function's own
    // policy: a wildcard there would then always be a finding, never hidden by an acknowledgement.
    (this.node.defaultChild as CfnFunction).tracingConfig = { mode: 'Active' };
    this.role?.addManagedPolicy(tracingPolicy(Stack.of(this)));
    acknowledgeLambdaDefaults(this);
  }
}

/** The stack's X-Ray write policy, shared by every Tandem function. */
function tracingPolicy(stack: Stack): ManagedPolicy {
  const id = 'FunctionTracing';
  const existing = stack.node.tryFindChild(id);
  if (existing) return existing as ManagedPolicy;
  const policy = new ManagedPolicy(stack, id, {
    description: 'Lets Tandem functions send their X-Ray traces',
    statements: [
      new PolicyStatement({
        actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
        resources: ['*'],
      }),
    ],
  });
  Validations.of(policy).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'X-Ray PutTraceSegments and PutTelemetryRecords do not support resource-level permissions.',
  });
  return policy;
}

import { Annotations, App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { resolveDeployConfig } from './deploy-config.ts';
import { ConsoleStack } from './stacks/console-stack.ts';
import { StatefulStack } from './stacks/stateful-stack.ts';
import { StatelessStack } from './stacks/stateless-stack.ts';

/** Builds the Tandem app: a stateful stack (data) and a stateless stack (code), checked by cdk-nag. */
export function createApp(app = new App()): {
  app: App;
  stateful: StatefulStack;
  stateless: StatelessStack;
  console: ConsoleStack;
} {
  const { config, placeholders } = resolveDeployConfig(
    (key) => app.node.tryGetContext(key),
    process.env.CDK_DEFAULT_ACCOUNT,
  );
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: config.region };
  const stateful = new StatefulStack(app, 'TandemStateful', {
    env,
    description: 'Tandem data: table, key, inbound mail, organizers’ sign-in',
    config,
  });
  const stateless = new StatelessStack(app, 'TandemStateless', {
    env,
    description: 'Tandem code: functions, HTTP API, cohort workflow',
    table: stateful.table,
    dataKey: stateful.dataKey,
    inboundMailBucket: stateful.inboundMailBucket,
    signIn: stateful.signIn,
    consoleOrigin: stateful.console.origin,
    config,
  });
  const webConsole = new ConsoleStack(app, 'TandemConsole', {
    env,
    description: 'Tandem web console: its files and settings, published to its bucket',
    hosting: stateful.console,
    apiUrl: stateless.api.apiEndpoint,
    issuer: stateful.signIn.issuer,
  });
  if (placeholders) {
    Annotations.of(app).addInfo(
      'No deploy parameters given: synthesized with placeholders (senderDomain example.org). Deploying needs -c senderDomain=… -c organizerEmail=… -c region=…',
    );
  }
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stateful, stateless, console: webConsole };
}

if (import.meta.main) {
  try {
    createApp().app.synth();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}

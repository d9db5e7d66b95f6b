import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ConsoleFiles, type ConsoleHosting } from '../constructs/web-console.ts';

export interface ConsoleStackProps extends StackProps {
  hosting: ConsoleHosting;
  apiUrl: string;
  issuer: string;
}

/**
 * The web console's files, published to its bucket with their settings (the API's address
 * among them): deployed after the stateful stack (the bucket, the distribution, the app
 * client) and the stateless stack (the API).
 */
export class ConsoleStack extends Stack {
  constructor(scope: Construct, id: string, props: ConsoleStackProps) {
    super(scope, id, props);
    new ConsoleFiles(this, 'Console', { hosting: props.hosting, apiUrl: props.apiUrl, issuer: props.issuer });
  }
}

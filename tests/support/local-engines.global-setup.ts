import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../local/dynamodb-local.ts';
import { startSesLocal } from '../../local/ses-local.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
    sesEndpoint: string;
  }
}

/** One DynamoDB Local and one SES inbox for all integration tests; each test file uses its own table. */
export default async function setup(project: TestProject) {
  const ses = await startSesLocal();
  const dynamodb = await startDynamoDbLocal().catch(async (error) => {
    await ses.stop();
    throw error;
  });
  project.provide('dynamodbEndpoint', dynamodb.endpoint);
  project.provide('sesEndpoint', ses.endpoint);
  return async () => {
    await Promise.all([dynamodb.stop(), ses.stop()]);
  };
}

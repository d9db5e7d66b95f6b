import { inject } from 'vitest';
import { localCredentials, localRegion } from '../../local/dynamodb-local.ts';

/**
 * Points the Lambda handlers of this test file's process at the shared local engines and a
 * test table — the variables a deployed function gets — with quiet logs and no metrics.
 * `extra` adds what a test needs (the SFN endpoint, the inbound-mail folder…).
 */
export function setHandlerEnvironment(
  table: { endpoint: string; tableName: string },
  extra: Record<string, string> = {},
): void {
  Object.assign(process.env, {
    AWS_REGION: localRegion,
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
    AWS_ENDPOINT_URL_SESV2: inject('sesEndpoint'),
    TABLE_NAME: table.tableName,
    INBOUND_DOMAIN: 'reply.test.localhost',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    ...extra,
  });
}

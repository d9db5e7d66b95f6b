import { startLocalApi } from '../../local/local-api.ts';
import {
  devAdminClient,
  type LocalOidcOptions,
  startLocalOidc,
} from '../../local/oidc/local-oidc-provider.ts';
import { LocalStepFunctions } from '../../local/workflow/local-step-functions.ts';
import { loadWorkflowDefinitions } from '../../local/workflow/workflow-definitions.ts';
import { setHandlerEnvironment } from './handler-environment.ts';
import { clientToken } from './sign-in.ts';

/**
 * The local HTTP API in this test file's process, with handlers pointed at `tableName` on the
 * shared DynamoDB Local — the same environment variables a deployed function gets — behind
 * the JWT authorizer of a local OpenID provider. `call` signs in as an admin script (the dev
 * admin client); `callAs` sends the token given, or none. Launching a
 * cohort starts its workflow on the local runner, in real time (so it waits out the intake).
 */
export async function startTestApi(
  dynamodbEndpoint: string,
  tableName: string,
  options: { oidc?: LocalOidcOptions } = {},
) {
  const definitions = loadWorkflowDefinitions();
  const workflow = new LocalStepFunctions(definitions);
  const stepFunctions = await workflow.serve();
  const oidc = await startLocalOidc(options.oidc);
  setHandlerEnvironment(
    { endpoint: dynamodbEndpoint, tableName },
    { AWS_ENDPOINT_URL_SFN: stepFunctions.url, COHORT_STATE_MACHINE_ARN: definitions.cohort.arn },
  );
  const api = await startLocalApi({ authorizer: { issuer: oidc.issuer, audience: oidc.audience } });
  process.env.PUBLIC_API_URL = api.url;
  const adminToken = await clientToken(oidc.issuer, devAdminClient());
  const callAs = async (
    token: string | undefined,
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ) => {
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    const init: RequestInit = { method, headers };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      headers['content-type'] = contentType;
    }
    const response = await fetch(api.url + path, init);
    const type = response.headers.get('content-type') ?? '';
    const answer: Record<string, unknown> = type.includes('json')
      ? ((await response.json()) as Record<string, unknown>)
      : { html: await response.text() };
    return { status: response.status, body: answer };
  };
  const call = (method: string, path: string, body?: unknown, contentType?: string) =>
    callAs(adminToken, method, path, body, contentType);
  const stop = async () => {
    await workflow.stopAll();
    await stepFunctions.stop();
    await api.stop();
    await oidc.stop();
  };
  return { url: api.url, stop, call, callAs, workflow, oidc };
}

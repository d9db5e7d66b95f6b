import { startLocalApi } from '../../local/local-api.ts';
import { LocalStepFunctions } from '../../local/workflow/local-step-functions.ts';
import { loadWorkflowDefinitions } from '../../local/workflow/workflow-definitions.ts';
import { setHandlerEnvironment } from './handler-environment.ts';

/**
 * The local HTTP API in this test file's process, with handlers pointed at `tableName` on the
 * shared DynamoDB Local — the same environment variables a deployed function gets. Launching a
 * cohort starts its workflow on the local runner, in real time (so it waits out the intake).
 */
export async function startTestApi(dynamodbEndpoint: string, tableName: string) {
  const definitions = loadWorkflowDefinitions();
  const workflow = new LocalStepFunctions(definitions);
  const stepFunctions = await workflow.serve();
  setHandlerEnvironment(
    { endpoint: dynamodbEndpoint, tableName },
    { AWS_ENDPOINT_URL_SFN: stepFunctions.url, COHORT_STATE_MACHINE_ARN: definitions.cohort.arn },
  );
  const api = await startLocalApi();
  process.env.PUBLIC_API_URL = api.url;
  const call = async (method: string, path: string, body?: unknown, contentType = 'application/json') => {
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      init.headers = { 'content-type': contentType };
    }
    const response = await fetch(api.url + path, init);
    const type = response.headers.get('content-type') ?? '';
    const answer: Record<string, unknown> = type.includes('json')
      ? ((await response.json()) as Record<string, unknown>)
      : { html: await response.text() };
    return { status: response.status, body: answer };
  };
  const stop = async () => {
    await workflow.stopAll();
    await stepFunctions.stop();
    await api.stop();
  };
  return { url: api.url, stop, call, workflow };
}

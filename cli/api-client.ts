import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { baseUrl } from '../shared/base-url.ts';
import { type FieldIssue, TandemError } from '../shared/errors.ts';
import { authenticatorFor, type ClientCredentials } from './auth/authenticator.ts';

export interface TargetOptions {
  apiUrl?: string;
  /** Gone with IAM auth: refused with a pointer to `tandem login`. */
  profile?: string;
  region?: string;
}

/** Where `tandem dev` records the local stack it runs, for other CLI commands to find. */
export const localStackFile = join('.local', 'stack.json');

export interface ApiClient {
  readonly baseUrl: string;
  request<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: { json: unknown } | { text: string; type: string },
  ): Promise<T>;
}

/**
 * A client for Tandem's HTTP API: the local stack by default, a deployed stack when given its
 * URL. Requests carry an access token: a script's client credentials (`credentials`, or
 * TANDEM_CLIENT_ID and TANDEM_CLIENT_SECRET), else the person's `tandem login`; none with
 * `credentials: 'none'` (what applicants and participants send).
 */
export async function connect(
  options: TargetOptions & { credentials?: ClientCredentials | 'none' },
): Promise<ApiClient> {
  if (options.profile !== undefined || options.region !== undefined) {
    throw new TandemError(
      'invalid_input',
      'The API no longer takes AWS credentials (--profile, --region): organizers sign in. Run `tandem login --api-url <url>` once, then use --api-url as before.',
    );
  }
  const baseUrl = await resolveApiUrl(options);
  const local = /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(baseUrl);
  const auth = authenticatorFor(baseUrl, options.credentials);
  return {
    baseUrl,
    async request<T>(
      method: 'GET' | 'POST',
      path: string,
      body?: { json: unknown } | { text: string; type: string },
    ) {
      const payload = body === undefined ? undefined : 'json' in body ? JSON.stringify(body.json) : body.text;
      const headers: Record<string, string> = { accept: 'application/json' };
      if (body) headers['content-type'] = 'json' in body ? 'application/json' : body.type;
      const token = await auth.token();
      if (token) headers.authorization = `Bearer ${token}`;
      let response: Response;
      try {
        response = await fetch(baseUrl + path, {
          method,
          headers,
          ...(payload === undefined ? {} : { body: payload }),
        });
      } catch {
        throw new TandemError(
          'setup',
          local
            ? `Cannot reach the local Tandem API at ${baseUrl}. Is \`npm run dev\` still running?`
            : `Cannot reach the Tandem API at ${baseUrl}. Check the URL and your network.`,
        );
      }
      const text = await response.text();
      const data = text ? safeJson(text) : undefined;
      if (response.ok) return data as T;
      throw errorFromResponse(response.status, data, auth.hint);
    },
  };
}

/** The API a command talks to: --api-url, $TANDEM_API_URL, or the local stack of `npm run dev`. */
export async function resolveApiUrl(options: { apiUrl?: string }): Promise<string> {
  const explicit = options.apiUrl ?? process.env.TANDEM_API_URL;
  return baseUrl(explicit ?? (await localApiUrl()));
}

/** The API of the local stack `tandem dev` runs (recorded in .local/stack.json). */
export async function localApiUrl(): Promise<string> {
  try {
    const stack = JSON.parse(await readFile(localStackFile, 'utf8')) as { apiUrl?: string };
    if (stack.apiUrl) return stack.apiUrl;
  } catch {
    // No local stack recorded: explained below.
  }
  throw new TandemError(
    'setup',
    'No local Tandem is running. Start one with `npm run dev` in another terminal, or pass --api-url <url> for a deployed stack.',
  );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text };
  }
}

/**
 * The API's refusal as the CLI tells it. API Gateway refuses a bad token itself, with
 * `{"message": "Unauthorized"}`; Tandem answers `{"error": {…}}`.
 */
function errorFromResponse(status: number, data: unknown, signInHint: string): TandemError {
  const error = (data as { error?: { code?: string; message?: string; issues?: FieldIssue[] } } | undefined)
    ?.error;
  const message = error?.message ?? (data as { message?: string } | undefined)?.message ?? `HTTP ${status}`;
  if (status === 401) return new TandemError('unauthorized', `${message.replace(/\.?$/, '.')} ${signInHint}`);
  const code =
    status === 403
      ? 'forbidden'
      : status === 404
        ? 'not_found'
        : status === 409
          ? 'conflict'
          : status === 413
            ? 'payload_too_large'
            : status < 500
              ? 'invalid_input'
              : 'setup';
  return new TandemError(code, message, error?.issues ?? []);
}

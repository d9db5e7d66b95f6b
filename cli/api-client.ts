import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Sha256 } from '@aws-crypto/sha256-js';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { SignatureV4 } from '@smithy/signature-v4';
import { type FieldIssue, TandemError } from '../shared/errors.ts';

export interface TargetOptions {
  apiUrl?: string;
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
 * URL. Requests to a deployed stack are signed with the AWS profile's credentials (IAM auth).
 */
export async function connect(options: TargetOptions): Promise<ApiClient> {
  const explicit = options.apiUrl ?? process.env.TANDEM_API_URL;
  const baseUrl = (explicit ?? (await localApiUrl())).replace(/\/+$/, '');
  const local = /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(baseUrl);
  const signer = local ? undefined : createSigner(baseUrl, options);
  return {
    baseUrl,
    async request<T>(
      method: 'GET' | 'POST',
      path: string,
      body?: { json: unknown } | { text: string; type: string },
    ) {
      const url = new URL(baseUrl + path);
      const payload = body === undefined ? undefined : 'json' in body ? JSON.stringify(body.json) : body.text;
      const headers: Record<string, string> = { host: url.host, accept: 'application/json' };
      if (body) headers['content-type'] = 'json' in body ? 'application/json' : body.type;
      const signed = signer
        ? await signer.sign({
            method,
            protocol: url.protocol,
            hostname: url.hostname,
            path: url.pathname,
            query: Object.fromEntries(url.searchParams),
            headers,
            ...(payload === undefined ? {} : { body: payload }),
          })
        : { headers };
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers: signed.headers,
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
      throw errorFromResponse(response.status, data);
    },
  };
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

function createSigner(baseUrl: string, options: TargetOptions) {
  const region =
    options.region ??
    /execute-api\.([a-z0-9-]+)\.amazonaws\.com/.exec(baseUrl)?.[1] ??
    process.env.AWS_REGION;
  if (!region) {
    throw new TandemError('invalid_input', 'Cannot tell the AWS region of this API: pass --region <region>.');
  }
  return new SignatureV4({
    service: 'execute-api',
    region,
    sha256: Sha256,
    credentials: fromNodeProviderChain(options.profile ? { profile: options.profile } : {}),
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text };
  }
}

function errorFromResponse(status: number, data: unknown): TandemError {
  const error = (data as { error?: { code?: string; message?: string; issues?: FieldIssue[] } } | undefined)
    ?.error;
  const message = error?.message ?? (data as { message?: string } | undefined)?.message ?? `HTTP ${status}`;
  if (status === 403) {
    return new TandemError(
      'setup',
      `The API refused the request (403): ${message}. Check --profile and its permissions.`,
    );
  }
  const code =
    status === 404
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

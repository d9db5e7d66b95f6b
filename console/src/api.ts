import type { Session } from './session.ts';

/** A refusal or a problem the API explained: its code, message and every issue. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly issues: { path: string; message: string; hint?: string; line?: number }[];

  constructor(status: number, body: unknown) {
    const error = (body as { error?: { code?: string; message?: string; issues?: ApiError['issues'] } })
      ?.error;
    super(error?.message ?? `The API answered ${status}.`);
    this.status = status;
    this.code = error?.code ?? 'unknown';
    this.issues = error?.issues ?? [];
  }
}

export type Api = <T>(method: 'GET' | 'POST', path: string, body?: unknown, type?: string) => Promise<T>;

/** Calls Tandem's HTTP API with the session's access token; a refusal throws an ApiError. */
export function createApi(session: Session): Api {
  return async <T>(method: 'GET' | 'POST', path: string, body?: unknown, type = 'application/json') => {
    const headers: Record<string, string> = { authorization: `Bearer ${session.accessToken() ?? ''}` };
    if (body !== undefined) headers['content-type'] = type;
    const response = await fetch(`${session.config.apiUrl}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as unknown) : undefined;
    if (!response.ok) throw new ApiError(response.status, parsed);
    return parsed as T;
  };
}

import { parse } from '@aws-lambda-powertools/parser';
import { APIGatewayProxyEventV2Schema } from '@aws-lambda-powertools/parser/schemas/api-gatewayv2';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ZodError, type z } from 'zod';
import { errorBody, invalidInput, TandemError, unauthorized } from '../shared/errors.ts';
import { escapeHtml } from '../shared/escape-html.ts';
import { htmlPage, paragraphs } from '../shared/html-page.ts';
import { type Caller, callerFromClaims, requireAccess } from '../shared/use-cases/organizer-access.ts';
import { issuesFromZod } from '../shared/validation/zod-issues.ts';
import { handlerDeps } from './adapters.ts';
import { apiRoutes } from './api/routes.ts';
import { logger } from './powertools.ts';

export interface HttpResult {
  status: number;
  body: unknown;
}

const json = (status: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode: status,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify(body),
});

/**
 * Runs a route and maps the outcome to HTTP: a user's mistake becomes its status and a
 * message that says how to fix it; anything else is logged and answered 500 without details.
 * A signed-in route runs only for a caller allowed to: the route's row in `routes.ts` says who
 * (`access`, and which path parameter names the cohort), and `route` gets that caller.
 */
export async function respond(
  event: APIGatewayProxyEventV2,
  route: (caller: Caller | undefined) => Promise<HttpResult>,
): Promise<APIGatewayProxyStructuredResultV2> {
  try {
    const { status, body } = await route(await authorize(event));
    return json(status, body);
  } catch (error) {
    if (error instanceof TandemError) {
      logger.info('request refused', { code: error.code, reason: error.message });
      return json(error.httpStatus, errorBody(error));
    }
    logger.error('request failed', error as Error);
    return json(500, {
      error: {
        code: 'internal',
        message: 'Something went wrong on our side. Please try again later.',
        requestId: event.requestContext.requestId,
      },
    });
  }
}

const routesByKey = new Map(apiRoutes.map((route) => [`${route.method} ${route.path}`, route]));

/**
 * The caller of a signed-in route, once allowed to do what the route does (undefined on a
 * public route). API Gateway's JWT authorizer (locally, the local API) has verified the token
 * and passed its claims on; a request that reached here without them is refused all the same.
 */
async function authorize(event: APIGatewayProxyEventV2): Promise<Caller | undefined> {
  const route = routesByKey.get(event.routeKey);
  if (!route) throw new Error(`The route ${event.routeKey} is not in functions/api/routes.ts`);
  if (route.access === 'public') return undefined;
  const claims = (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } })
    .authorizer?.jwt?.claims;
  const caller = claims && callerFromClaims(claims);
  if (!caller) throw unauthorized(signInFirst);
  if (route.access === 'signed-in') return caller;
  const need =
    route.access === 'admin'
      ? { admin: true as const }
      : { cohortId: event.pathParameters?.[route.cohortParameter] ?? '' };
  await requireAccess(caller, need, handlerDeps());
  return caller;
}

export const signInFirst =
  'This route needs a signed-in organizer: send an access token as "Authorization: Bearer <token>".';

/**
 * A page for people following links in their email. `texts` are paragraphs of text (escaped
 * here); `form` adds a single button that POSTs back to the same URL.
 */
export function page(
  status: number,
  title: string,
  texts: string[],
  form?: { button: string },
): APIGatewayProxyStructuredResultV2 {
  const button = form
    ? `<form method="post"><button type="submit">${escapeHtml(form.button)}</button></form>`
    : '';
  return {
    statusCode: status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    },
    body: htmlPage(title, `${paragraphs(...texts)}\n${button}`),
  };
}

/** Serves a link from an email: GET shows a page, POST acts; a user's mistake gets a readable page. */
export async function respondWithPage(
  route: () => Promise<APIGatewayProxyStructuredResultV2>,
): Promise<APIGatewayProxyStructuredResultV2> {
  try {
    return await route();
  } catch (error) {
    if (error instanceof TandemError) return page(error.httpStatus, 'Sorry', [error.message]);
    logger.error('link failed', error as Error);
    return page(500, 'Sorry', ['Something went wrong on our side. Please try again later.']);
  }
}

/** The raw request body as text, refused when it is larger than `maxBytes`. */
export function bodyText(event: APIGatewayProxyEventV2, maxBytes: number): string {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text) > maxBytes) {
    throw new TandemError(
      'payload_too_large',
      `The request body is larger than ${Math.round(maxBytes / 1024)} KB. Send less data per request.`,
    );
  }
  return text;
}

export function jsonBody(event: APIGatewayProxyEventV2, maxBytes: number): unknown {
  const text = bodyText(event, maxBytes);
  if (text.trim() === '') {
    throw invalidInput('The request body is empty', [{ path: '', message: 'expected a JSON object' }]);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw invalidInput('The request body is not valid JSON', [
      {
        path: '',
        message: 'could not be parsed as JSON',
        hint: 'send Content-Type: application/json and a JSON object',
      },
    ]);
  }
}

/** Validates the API Gateway event (Powertools' schema) and its path parameters. */
export function parseRequest<T extends z.ZodType>(event: unknown, pathSchema: T) {
  const result = parse(
    event,
    undefined,
    APIGatewayProxyEventV2Schema.extend({ pathParameters: pathSchema }),
    true,
  );
  if (!result.success) {
    const issues = result.error.cause instanceof ZodError ? issuesFromZod(result.error.cause) : [];
    throw invalidInput('The request is not valid', issues);
  }
  return result.data;
}

/** Small JSON bodies of organizer requests. */
const maxRequestBytes = 16 * 1024;

/** The JSON body, validated: every problem listed with its field. */
export function parseBody<T extends z.ZodType>(event: APIGatewayProxyEventV2, schema: T): z.output<T> {
  return parseQuery(schema, jsonBody(event, maxRequestBytes), 'The request body is not valid');
}

/** Query parameters (or any plain input), validated. */
export function parseQuery<T extends z.ZodType>(
  schema: T,
  input: unknown,
  message = 'The query parameters are not valid',
): z.output<T> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) throw invalidInput(message, issuesFromZod(result.error));
  return result.data;
}

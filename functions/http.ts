import { parse } from '@aws-lambda-powertools/parser';
import { APIGatewayProxyEventV2Schema } from '@aws-lambda-powertools/parser/schemas/api-gatewayv2';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ZodError, type z } from 'zod';
import { invalidInput, TandemError } from '../shared/errors.ts';
import { issuesFromZod } from '../shared/validation/zod-issues.ts';
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
 */
export async function respond(
  event: APIGatewayProxyEventV2,
  route: () => Promise<HttpResult>,
): Promise<APIGatewayProxyStructuredResultV2> {
  try {
    const { status, body } = await route();
    return json(status, body);
  } catch (error) {
    if (error instanceof TandemError) {
      logger.info('request refused', { code: error.code, message: error.message });
      return json(error.httpStatus, {
        error: { code: error.code, message: error.message, issues: error.issues },
      });
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

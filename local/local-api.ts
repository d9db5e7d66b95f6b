import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { type ApiRoute, apiRoutes } from '../functions/api/routes.ts';
import { errorBody, TandemError, unauthorized } from '../shared/errors.ts';
import { createJwtAuthorizer, type JwtAuthorizerConfig, type Verdict } from './jwt-authorizer.ts';
import { onRealTime } from './virtual-clock.ts';

/** API Gateway's own payload limit for HTTP APIs. */
const maxPayloadBytes = 10 * 1024 * 1024;
const functionsDir = join(import.meta.dirname, '..', 'functions', 'api');

type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** A route of the local stack itself (its clock), beside the API's: never deployed. */
export type LocalRoute = (method: string, body: string) => Promise<{ status: number; body: unknown }>;

/**
 * A stand-in for API Gateway's HTTP API on localhost: it turns each request into the same
 * payload-v2 event and invokes the same handler the deployed route invokes. Every route but a
 * public one is behind a JWT authorizer, as deployed: a request without a valid token never
 * reaches its handler (401), and a valid token's claims reach it where API Gateway puts them.
 * `localRoutes` are the local stack's own controls (the dev clock): not rows of the API's
 * route table, so never deployed, and answered before any token is asked for, like the rest of
 * the stack's local services on this loopback address (the SES inbox).
 */
export async function startLocalApi(options: {
  port?: number;
  authorizer: JwtAuthorizerConfig;
  localRoutes?: Record<string, LocalRoute>;
  /** Origins whose pages may call the API (the web console): API Gateway's CORS configuration. */
  allowOrigins?: readonly string[];
}): Promise<{ url: string; stop(): Promise<void> }> {
  const authorize = await createJwtAuthorizer(options.authorizer);
  const handlers = new Map<string, Promise<Handler>>();
  const load = (route: ApiRoute) => {
    let handler = handlers.get(route.handler);
    if (!handler) {
      const url = pathToFileURL(join(functionsDir, `${route.handler}.ts`)).href;
      handler = import(url).then((module: { handler: Handler }) => module.handler);
      handlers.set(route.handler, handler);
    }
    return handler;
  };

  const server: Server = createServer(async (request, response) => {
    const cors = corsHeaders(request, options.allowOrigins ?? []);
    const reply = (result: APIGatewayProxyStructuredResultV2) => {
      response.writeHead(result.statusCode ?? 200, {
        ...(result.headers as Record<string, string>),
        ...cors,
      });
      response.end(result.body ?? '');
    };
    // API Gateway answers a CORS preflight itself, before any route or authorizer.
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method']) {
      return reply({
        statusCode: 204,
        ...(cors['access-control-allow-origin'] ? { headers: preflight } : {}),
      });
    }
    try {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const local = options.localRoutes?.[url.pathname];
      if (local) return reply(await localReply(local, request));
      const match = matchRoute(request.method ?? 'GET', url.pathname);
      if (!match) return reply({ statusCode: 404, body: JSON.stringify({ message: 'Not Found' }) });
      let authorized: Exclude<Verdict, { refused: string }> | undefined;
      if (match.route.access !== 'public') {
        // On real time, as the provider issued it (see onRealTime); the handler runs on the stack's clock.
        const verdict = await onRealTime(() => authorize(request.headers.authorization));
        if (verdict.refused !== undefined) {
          return reply({
            statusCode: 401,
            headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer' },
            body: JSON.stringify(errorBody(unauthorized(verdict.refused))),
          });
        }
        authorized = verdict;
      }
      const body = await readBody(request);
      if (body === undefined)
        return reply({ statusCode: 413, body: JSON.stringify({ message: 'Request Entity Too Large' }) });
      const event = toEvent(request, url, match.route, match.pathParameters, body);
      if (authorized) {
        Object.assign(event.requestContext, {
          authorizer: { jwt: { claims: authorized.claims, scopes: authorized.scopes } },
        });
      }
      reply(await (await load(match.route))(event, lambdaContext(match.route)));
    } catch (error) {
      reply({
        statusCode: 500,
        body: JSON.stringify({ message: 'Internal Server Error', detail: String(error) }),
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What API Gateway's CORS configuration allows a console: its origin, the token header, JSON and CSV bodies. */
const preflight = {
  'access-control-allow-methods': 'GET,POST',
  'access-control-allow-headers': 'authorization,content-type',
  'access-control-max-age': '600',
};

function corsHeaders(request: IncomingMessage, allowOrigins: readonly string[]): Record<string, string> {
  const origin = request.headers.origin;
  return origin && allowOrigins.includes(origin)
    ? { 'access-control-allow-origin': origin, vary: 'origin' }
    : {};
}

async function localReply(
  route: LocalRoute,
  request: IncomingMessage,
): Promise<APIGatewayProxyStructuredResultV2> {
  const json = (status: number, body: unknown) => ({
    statusCode: status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
  });
  try {
    const { status, body } = await route(
      request.method ?? 'GET',
      (await readBody(request))?.toString('utf8') ?? '',
    );
    return json(status, body);
  } catch (error) {
    if (!(error instanceof TandemError)) throw error;
    return json(error.httpStatus, errorBody(error));
  }
}

/** API Gateway's matching: segment by segment, `{name}` taking one whole non-empty segment. */
function matchRoute(method: string, path: string) {
  const segments = path.split('/');
  for (const route of apiRoutes) {
    if (route.method !== method && route.method !== 'ANY') continue;
    const routeSegments = route.path.split('/');
    if (routeSegments.length !== segments.length) continue;
    const pathParameters: Record<string, string> = {};
    const matches = routeSegments.every((part, i) => {
      const segment = segments[i] ?? '';
      if (!(part.startsWith('{') && part.endsWith('}'))) return part === segment;
      pathParameters[part.slice(1, -1)] = decodeURIComponent(segment);
      return segment !== '';
    });
    if (matches) return { route, pathParameters };
  }
  return undefined;
}

async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxPayloadBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function toEvent(
  request: IncomingMessage,
  url: URL,
  route: ApiRoute,
  pathParameters: Record<string, string>,
  body: Buffer,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return apiGatewayEvent({
    method: request.method ?? route.method,
    url,
    route,
    pathParameters,
    headers,
    body: body.toString('utf8'),
    protocol: `HTTP/${request.httpVersion}`,
  });
}

/** The payload-v2 event API Gateway's HTTP API gives a route's function for a request. */
export function apiGatewayEvent(request: {
  method: string;
  url: URL;
  route: ApiRoute;
  pathParameters: Record<string, string>;
  headers: Record<string, string>;
  body: string;
  protocol?: string;
}): APIGatewayProxyEventV2 {
  const { method, url, route, pathParameters, headers, body } = request;
  const now = Date.now();
  const routeKey = `${route.method} ${route.path}`;
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(url.search ? { queryStringParameters: Object.fromEntries(url.searchParams) } : {}),
    pathParameters,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: 'local',
      http: {
        method,
        path: url.pathname,
        protocol: request.protocol ?? 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: new Date(now).toISOString(),
      timeEpoch: now,
    },
    body,
    isBase64Encoded: false,
  };
}

export function lambdaContext(route: ApiRoute): Context {
  const name = `tandem-local-${route.handler}`;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 30_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join } from 'node:path';
import { type ConsoleConfig, contentSecurityPolicy, securityHeaders } from '../console/security-headers.ts';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
};

/**
 * The web console on localhost, as CloudFront serves it from its bucket: the built files
 * (`npm run build:console`), `config.json` with this stack's API and sign-in service, and the
 * same security headers (the strict CSP among them). Started before the services it points
 * to (their sign-in redirect and CORS need its origin): `config` is read at each request.
 */
export async function startConsoleServer(options: {
  dir: string;
  port?: number;
  config: () => ConsoleConfig | undefined;
}): Promise<{ url: string; origin: string; stop(): Promise<void> }> {
  const server: Server = createServer(async (request, response) => {
    const config = options.config();
    const headers = {
      ...securityHeaders,
      'content-security-policy': contentSecurityPolicy(config ? [config.apiUrl, config.issuer] : []),
    };
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { ...headers, allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/config.json') {
      if (!config) return void response.writeHead(503, headers).end();
      response
        .writeHead(200, { ...headers, 'content-type': types['.json'], 'cache-control': 'no-store' })
        .end(JSON.stringify(config));
      return;
    }
    // Flat files only (no folder, no dot file): anything else is the app's page.
    const name = /^\/[\w-]+\.\w+$/.test(path) ? path.slice(1) : 'index.html';
    try {
      const body = await readFile(join(options.dir, name));
      response
        .writeHead(200, {
          ...headers,
          'content-type': types[extname(name)] ?? 'application/octet-stream',
          'cache-control': name === 'index.html' ? 'no-cache' : 'public, max-age=31536000, immutable',
        })
        .end(request.method === 'HEAD' ? undefined : body);
    } catch {
      response.writeHead(404, { ...headers, 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url: `${origin}/`,
    origin,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

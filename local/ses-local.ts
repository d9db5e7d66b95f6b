import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { RunningEngine } from './dynamodb-local.ts';

// A CommonJS package whose default export interop differs between Node and Vite: require it.
const sesLocal = createRequire(import.meta.url)('aws-ses-v2-local') as typeof import('aws-ses-v2-local');

export interface RunningSes extends RunningEngine {
  /** The web inbox showing every captured email. */
  inboxUrl: string;
}

/** Starts aws-ses-v2-local in this process on a free port; it captures every email sent to it. */
export async function startSesLocal(options: { port?: number } = {}): Promise<RunningSes> {
  const server: Server = await sesLocal.default({ host: '127.0.0.1', port: options.port ?? 0 });
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('aws-ses-v2-local did not report its port');
  const endpoint = `http://127.0.0.1:${address.port}`;
  return {
    endpoint,
    inboxUrl: `${endpoint}/`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

import { createServer, type Server } from 'node:http';
import { TandemError } from '../../shared/errors.ts';
import { htmlPage, paragraphs } from '../../shared/html-page.ts';

/**
 * Receives the browser's redirect at the end of a sign-in, on the loopback interface
 * (RFC 8252 §7.3): the first of `redirectUris` whose port is free. `received` resolves with
 * the redirect's URL (code and state, or the provider's error).
 */
export async function listenForRedirect(redirectUris: readonly string[]) {
  for (const redirectUri of redirectUris) {
    const { port, pathname } = new URL(redirectUri);
    let deliver: (url: URL) => void = () => {};
    const received = new Promise<URL>((resolve) => {
      deliver = resolve;
    });
    const server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', redirectUri);
      if (url.pathname !== pathname) {
        response.writeHead(404).end();
        return;
      }
      const failed = url.searchParams.get('error');
      response.writeHead(failed ? 400 : 200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(
        failed
          ? htmlPage(
              'Sign-in failed',
              paragraphs(url.searchParams.get('error_description') ?? failed, 'Run `tandem login` again.'),
            )
          : htmlPage(
              'Signed in to Tandem',
              paragraphs('You can close this tab and go back to the terminal.'),
            ),
      );
      deliver(url);
    });
    if (await listen(server, Number(port))) {
      return {
        redirectUri,
        received,
        close: () =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      };
    }
  }
  const ports = redirectUris.map((uri) => new URL(uri).port).join(', ');
  throw new TandemError(
    'setup',
    `Ports ${ports} on 127.0.0.1 are all in use, and sign-in needs one of them to hear back from the browser. Close what uses them (another \`tandem login\`?) and try again.`,
  );
}

/** False when the port is taken. */
function listen(server: Server, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EADDRINUSE' ? resolve(false) : reject(error),
    );
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
}

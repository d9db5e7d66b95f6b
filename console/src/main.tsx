import { type ComponentChild, render } from 'preact';
import { App } from './app.tsx';
import { startSession } from './session.ts';

const root = document.getElementById('app');
if (root) {
  // The "Loading…" line goes once the console is ready to show itself.
  const show = (page: ComponentChild) => {
    root.textContent = '';
    render(page, root);
  };
  startSession()
    .then((session) => show(<App session={session} />))
    .catch((error: unknown) =>
      show(
        <main>
          <h1>Tandem console</h1>
          <p role="alert">
            The console could not start: {error instanceof Error ? error.message : String(error)}
          </p>
          <p>
            <a href="/">Try again</a>
          </p>
        </main>,
      ),
    );
}

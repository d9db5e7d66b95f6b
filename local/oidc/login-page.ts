import { escapeHtml } from '../../shared/escape-html.ts';
import { htmlPage, paragraphs } from '../../shared/html-page.ts';

const formStyle =
  'label{display:block;margin-top:1rem;font-weight:600}' +
  'input{display:block;width:100%;max-width:24rem;box-sizing:border-box;font-size:1rem;padding:.5rem;margin-top:.25rem;border:1px solid #52606d;border-radius:4px}' +
  'button{margin-top:1.5rem}:focus-visible{outline:3px solid #f0b429;outline-offset:2px}' +
  '.error{color:#a61b1b;font-weight:600}.note{margin-top:2rem;color:#52606d;font-size:.9rem}';

/**
 * The local provider's login page, standing in for Cognito's managed login: labelled fields,
 * usable with a keyboard, readable at phone width.
 */
export function loginPage(options: { action: string; email?: string; error?: string }): string {
  const error = options.error ? `<p role="alert" class="error">${escapeHtml(options.error)}</p>` : '';
  return htmlPage(
    'Sign in to Tandem',
    `${error}
<form method="post" action="${escapeHtml(options.action)}">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required autofocus value="${escapeHtml(options.email ?? '')}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
<p class="note">Local development: <code>npm run dev</code> prints the accounts and their passwords.</p>`,
    formStyle,
  );
}

export const errorPage = (message: string) => htmlPage('Sign-in failed', paragraphs(message));

/**
 * Signing out (from the console): `form` is the provider's own form (hidden fields, no button),
 * submitted by one of the buttons here; "Sign out" ends the session everywhere.
 */
export function logoutPage(form: string): string {
  return htmlPage(
    'Sign out of Tandem?',
    `${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Sign out of Tandem</button>
<button type="submit" form="op.logoutForm">Stay signed in</button>`,
    formStyle,
  );
}

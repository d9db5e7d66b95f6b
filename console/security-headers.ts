/**
 * The console's security headers, the same locally (`npm run dev`) and on CloudFront (its
 * response headers policy): a strict Content-Security-Policy — scripts and styles from the
 * console's own origin only, nothing inline, no frames, no plugins — and the usual companions.
 * `connect` lists the only other origins the console talks to: the API and the sign-in service.
 */
export function contentSecurityPolicy(connect: readonly string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${connect.join(' ')}`.trim(),
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** Every header but the CSP, as CloudFront's security headers policy names them. */
export const securityHeaders = {
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
} as const;

/** The console's settings, fetched at start from `config.json` beside it. */
export interface ConsoleConfig {
  /** The HTTP API, without a trailing slash. */
  apiUrl: string;
  /** The OpenID Connect issuer (Cognito's user pool, or the local provider). */
  issuer: string;
  /** The console's app client (a public client: code flow with PKCE). */
  clientId: string;
  /**
   * Where signing out ends the provider's session too, when its discovery document does not
   * say (Cognito's managed login: `/logout?client_id=…&logout_uri=…`).
   */
  signOutUrl?: string;
}

/** Where the console's built files go (`npm run build:console`), relative to the project. */
export const consoleOutDir = 'out/console';

import { type User, UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { ConsoleConfig } from '../security-headers.ts';

/** The signed-in organizer, as the console knows them. */
export interface Session {
  config: ConsoleConfig;
  user: User | null;
  /** Who the access token names: an admin launches cohorts and sees them all. */
  email: string;
  admin: boolean;
  /** Goes to the sign-in page (the local provider's, or Cognito's managed login), then back here. */
  signIn(): Promise<void>;
  signOut(): Promise<void>;
  accessToken(): string | undefined;
}

/**
 * Reads `config.json`, finishes a sign-in coming back from the provider (authorization code
 * with PKCE, done by oidc-client-ts), and returns the session: signed in or not.
 */
export async function startSession(): Promise<Session> {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok)
    throw new Error(`The console's settings (config.json) could not be read: ${response.status}`);
  const config = (await response.json()) as ConsoleConfig;
  const home = `${location.origin}/`;
  const manager = new UserManager({
    authority: config.issuer,
    client_id: config.clientId,
    redirect_uri: home,
    post_logout_redirect_uri: home,
    response_type: 'code',
    scope: 'openid email profile',
    // Renewed with the refresh token, never in a hidden frame (the CSP allows none).
    automaticSilentRenew: true,
    userStore: new WebStorageStateStore({ store: sessionStorage }),
  });
  const params = new URLSearchParams(location.search);
  if (params.has('state') && (params.has('code') || params.has('error'))) {
    const user = await manager.signinRedirectCallback();
    const back = typeof user.state === 'string' ? user.state : '';
    history.replaceState(null, '', `/${back}`);
  }
  let user = await manager.getUser();
  if (user?.expired) user = null;
  const claims = user ? accessClaims(user.access_token) : {};
  const groups = claims['cognito:groups'];
  return {
    config,
    user,
    email: typeof claims.email === 'string' ? claims.email : (user?.profile.email ?? ''),
    admin: Array.isArray(groups) && groups.includes('admins'),
    signIn: () => manager.signinRedirect({ state: location.hash }),
    async signOut() {
      const idToken = user?.id_token;
      await manager.revokeTokens().catch(() => undefined);
      await manager.removeUser();
      if (config.signOutUrl) return location.assign(config.signOutUrl);
      const endSession = (await manager.metadataService.getMetadata()).end_session_endpoint;
      if (endSession && idToken) await manager.signoutRedirect({ id_token_hint: idToken });
      else location.assign(home);
    },
    accessToken: () => user?.access_token,
  };
}

/** The access token's claims (already verified by the API on every call: here only to show them). */
function accessClaims(token: string): Record<string, unknown> {
  try {
    const payload = token.split('.')[1] ?? '';
    return JSON.parse(atob(payload.replaceAll('-', '+').replaceAll('_', '/'))) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/**
 * What `tandem login` and the identity provider agree on, on AWS (Cognito app client) and
 * locally (the local OpenID provider).
 */

/**
 * The loopback redirect URIs `tandem login` listens on (RFC 8252), the first free one. Cognito
 * matches redirect URIs exactly, port included, so the CLI's app client registers each.
 */
export const cliRedirectUris = [47650, 47651, 47652].map((port) => `http://127.0.0.1:${port}/callback`);

/** The scopes a person's sign-in asks for: who they are. What they may do is decided by Tandem. */
export const personScopes = ['openid', 'email', 'profile'];

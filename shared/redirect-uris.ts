// The redirect URIs an app registration needs, in one place for the core (which uses them) and the
// mask (which shows them for copying).

/** Microsoft's global login host; national clouds have their own (see electron/core/net/endpoints.ts). */
export const MICROSOFT_AUTHORITY_HOST = 'https://login.microsoftonline.com';

/** `{authority host}/common/oauth2/nativeclient`: the URI the manual's app registration already has. */
export function nativeClientRedirectUri(authorityHost: string): string {
  return `${new URL(authorityHost).origin}/common/oauth2/nativeclient`;
}

/**
 * The system browser's redirect URI as registered ("Mobile and desktop applications"): MSAL's listener
 * adds its ephemeral port, which Entra ignores for localhost (RFC 8252 §7.3).
 */
export const LOOPBACK_REDIRECT_URI = 'http://localhost';

// Where the main window may go (EL-13): nowhere but the app's own origin, compared as parsed URLs.

/**
 * True only for a URL on exactly `appOrigin` (scheme, host and port; no userinfo). Parsed with URL,
 * never a prefix test, so app://absender.evil, app://absender@evil and https://… all fail. Chromium hands
 * the navigation events canonical URLs; a non-canonical host (uppercase, percent-encoded) is refused, not interpreted.
 */
export function isAllowedMainNavigation(url: string, appOrigin: string): boolean {
  let target: URL;
  let origin: URL;
  try {
    target = new URL(url);
    origin = new URL(appOrigin);
  } catch {
    return false;
  }
  return (
    origin.host !== '' &&
    target.protocol === origin.protocol &&
    target.host === origin.host &&
    target.username === '' &&
    target.password === ''
  );
}

/** What the sender rule needs to know of a frame: both hosts map their own frame object to this. */
export interface FrameFacts {
  url: string;
  isMainFrame: boolean;
}

/**
 * EL-17/EL-13: only the app's own page, as top-level frame, may call the API. Parsed with URL (never a
 * prefix test): same protocol, host (with port) and pathname as appUrl, no userinfo; query and hash are the page's own.
 */
export function isTrustedFrame(frame: FrameFacts | null | undefined, appUrl: string): boolean {
  if (!frame?.isMainFrame) return false;
  try {
    const url = new URL(frame.url);
    const app = new URL(appUrl);
    return (
      url.protocol === app.protocol &&
      url.host === app.host &&
      url.pathname === app.pathname &&
      url.username === '' &&
      url.password === ''
    );
  } catch {
    return false;
  }
}

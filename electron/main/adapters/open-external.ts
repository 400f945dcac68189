import type { SystemBrowser } from '../../core/ports';

/**
 * The only way out of the app to the OS browser (EL-15, OA-L2): https only, no user-info, so no
 * file:, javascript:, custom protocol handler or dressed-up host can be launched through it.
 * `open` is shell.openExternal in the app, injected so the check is testable without Electron.
 */
export function httpsOnlyOpener(
  open: (url: string) => Promise<void>,
  allowedHosts?: ReadonlySet<string>,
): (url: string) => Promise<void> {
  return (url) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return Promise.reject(new Error('openExternal: not a URL'));
    }
    if (target.protocol !== 'https:') return Promise.reject(new Error(`openExternal: https only, not ${target.protocol}`));
    if (target.username !== '' || target.password !== '') return Promise.reject(new Error('openExternal: credentials in URL'));
    if (allowedHosts && !allowedHosts.has(target.hostname.toLowerCase())) {
      return Promise.reject(new Error(`openExternal: host not allowed: ${target.hostname}`));
    }
    return open(target.href);
  };
}

/** The loopback sign-in's browser: the same wrapper (the core has already checked the host). */
export function systemBrowserVia(open: (url: string) => Promise<void>): SystemBrowser {
  const opener = httpsOnlyOpener(open);
  return { open: (url) => opener(url) };
}

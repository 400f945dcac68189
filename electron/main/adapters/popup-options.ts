import { isolatedWebPreferences } from '../window-factory';
import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';
import { randomBytes } from 'node:crypto';
import { t } from '../../../shared/i18n/translate';

// Pure pieces of the sign-in popup, unit-tested without Electron (OA-P1, OA-P2, OA-P6).

/**
 * The title before the page's host (OA-P6), German and English side by side: the window opens from
 * the core, which passes no language.
 */
export const SIGN_IN_TITLE_PREFIX = `${t('de', 'host:appName')} – ${t('de', 'host:signInWindow.signIn')} / ${t('en', 'host:signInWindow.signIn')}`;

export const SIGN_IN_PARTITION_PREFIX = 'absender-signin-';

/**
 * A fresh partition per attempt: no `persist:` prefix, so Electron keeps it in memory only, and a
 * new name each time, so no cookie (Entra SSO, another profile's account) survives an attempt.
 */
export function signInPartitionName(random: (bytes: number) => Buffer = randomBytes): string {
  return `${SIGN_IN_PARTITION_PREFIX}${random(16).toString('hex')}`;
}

export const isSignInPartition = (partition: string): boolean =>
  partition.startsWith(SIGN_IN_PARTITION_PREFIX) && !partition.startsWith('persist:');

/**
 * Microsoft's page in a window that can do nothing but show it: no preload (so no window.absender),
 * no Node, sandboxed, isolated, its own partition, modal over the app so the admin cannot start a
 * second action meanwhile. DevTools stay off even in development: nobody needs to inspect a login page.
 */
export function popupWindowOptions(options: {
  partition: string;
  title: string;
  parent: BrowserWindow | undefined;
}): BrowserWindowConstructorOptions {
  if (!isSignInPartition(options.partition)) throw new Error('sign-in popup needs its own in-memory partition');
  return {
    width: 520,
    height: 700,
    minWidth: 400,
    minHeight: 500,
    show: false,
    title: options.title,
    autoHideMenuBar: true,
    ...(options.parent === undefined ? {} : { parent: options.parent, modal: true }),
    // No preload, and no DevTools even in development: the page is Microsoft's, not ours.
    webPreferences: { ...isolatedWebPreferences(true), partition: options.partition, safeDialogs: true },
  };
}

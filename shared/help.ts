import { z } from 'zod';
import { ADMIN_CONSENT_HOSTS } from './setup/setup-clouds';

/** The only external pages the app opens; the renderer names a topic, never a URL. */
export const HELP_URLS = {
  'restrict-mailbox': 'https://learn.microsoft.com/graph/auth-limit-mailbox-access',
  'rbac-applications': 'https://learn.microsoft.com/exchange/permissions-exo/application-rbac',
  'client-secret': 'https://learn.microsoft.com/entra/identity-platform/how-to-add-credentials',
  'admin-consent': 'https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent',
} as const;
export const HelpTopic = z.enum(Object.keys(HELP_URLS) as [keyof typeof HELP_URLS, ...Array<keyof typeof HELP_URLS>]);
export type HelpTopic = z.infer<typeof HelpTopic>;

/**
 * The hosts those pages live on, and the sign-in host of the setup assistant's admin-consent URL (built
 * by the core from the stored profile): the only ones the system-browser opener may launch.
 */
export const HELP_HOSTS: ReadonlySet<string> = new Set([
  ...Object.values(HELP_URLS).map((url) => new URL(url).hostname),
  ...ADMIN_CONSENT_HOSTS,
]);

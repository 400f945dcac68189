// The HTML pages MSAL's loopback listener answers the system browser with (RFC 8252 sign-in).
import { t } from '../../../shared/i18n/translate';

/** The page the system browser shows after the redirect; the admin goes back to the app. No parameter is echoed. */
const loopbackPage = (title: string, de: string, en: string): string =>
  `<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>${title}</title>` +
  '<meta name="viewport" content="width=device-width"><style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:15vh auto;padding:0 1rem;color:#242424}h1{font-size:1.4rem}p{line-height:1.5}</style></head>' +
  `<body><h1>${title}</h1><p lang="de">${de}</p><p lang="en">${en}</p></body></html>`;

// Both languages on one page: the browser tab may be read by someone else than the app's language says.
export const LOOPBACK_SUCCESS_PAGE = loopbackPage(
  t('de', 'host:loopback.title'),
  t('de', 'host:loopback.success'),
  t('en', 'host:loopback.success'),
);
export const LOOPBACK_ERROR_PAGE = loopbackPage(
  t('de', 'host:loopback.title'),
  t('de', 'host:loopback.error'),
  t('en', 'host:loopback.error'),
);

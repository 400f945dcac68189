/**
 * HTML of the emulated sign-in experience. Field names and element ids follow Microsoft's pages
 * (loginfmt/passwd, i0116/i0118/idSIButton9, idBtn_Accept/idBtn_Back, otc) so tests read naturally.
 */

export type Lang = 'en' | 'de';

const TEXT = {
  en: {
    signIn: 'Sign in',
    username: 'Email, phone, or Skype',
    password: 'Password',
    submit: 'Sign in',
    badPassword: 'Your account or password is incorrect. If you don’t remember your password, reset it now.',
    mfaTitle: 'Enter code',
    mfaHint: 'Enter the code displayed in the Authenticator app on your mobile device.',
    mfaCode: 'Code',
    mfaSubmit: 'Verify',
    mfaWrong: 'You didn’t enter the expected verification code. Please try again.',
    consentTitle: 'Permissions requested',
    consentIntro: 'This app would like to:',
    accept: 'Accept',
    cancel: 'Cancel',
    errorTitle: "Sorry, but we're having trouble signing you in.",
    troubleshooting: 'Troubleshooting details',
    requestId: 'Request Id',
    correlationId: 'Correlation Id',
    timestamp: 'Timestamp',
    message: 'Message',
  },
  de: {
    signIn: 'Anmelden',
    username: 'E-Mail, Telefon oder Skype',
    password: 'Kennwort',
    submit: 'Anmelden',
    badPassword: 'Ihr Konto oder Kennwort ist falsch. Wenn Sie Ihr Kennwort vergessen haben, setzen Sie es jetzt zurück.',
    mfaTitle: 'Code eingeben',
    mfaHint: 'Geben Sie den Code ein, der in der Authenticator-App auf Ihrem Mobilgerät angezeigt wird.',
    mfaCode: 'Code',
    mfaSubmit: 'Überprüfen',
    mfaWrong: 'Sie haben nicht den erwarteten Prüfcode eingegeben. Versuchen Sie es erneut.',
    consentTitle: 'Angeforderte Berechtigungen',
    consentIntro: 'Diese App möchte:',
    accept: 'Akzeptieren',
    cancel: 'Abbrechen',
    errorTitle: 'Leider können wir Sie nicht anmelden.',
    troubleshooting: 'Details zur Problembehandlung',
    requestId: 'Anforderungs-ID',
    correlationId: 'Korrelations-ID',
    timestamp: 'Zeitstempel',
    message: 'Meldung',
  },
} as const;

/** Picks the page language from ui_locales/mkt, else Accept-Language; English by default like Entra. */
export function pickLang(uiLocales: string | null, acceptLanguage: string | undefined): Lang {
  const first = (uiLocales ?? acceptLanguage ?? '').split(/[\s,;]/)[0]?.toLowerCase() ?? '';
  return first.startsWith('de') ? 'de' : 'en';
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
body{font-family:"Segoe UI",system-ui,sans-serif;background:#f2f2f2;margin:0}
main{max-width:440px;margin:48px auto;background:#fff;padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:24px;font-weight:600;margin:0 0 16px}
label{display:block;margin-top:12px;font-size:14px}
input{width:100%;box-sizing:border-box;padding:6px 0;font-size:15px;border:0;border-bottom:1px solid #666}
.error{color:#e81123;font-size:14px;margin:8px 0}
.buttons{margin-top:24px;display:flex;gap:8px;justify-content:flex-end}
button{min-width:108px;padding:6px 12px;font-size:15px;border:0}
button.primary{background:#0067b8;color:#fff}
button.secondary{background:#ccc}
.app{font-weight:600}
dl{font-size:13px;display:grid;grid-template-columns:max-content 1fr;gap:4px 12px;word-break:break-all}
dt{font-weight:600}
`;

function layout(title: string, lang: Lang, body: string): string {
  return (
    `<!DOCTYPE html><html lang="${lang}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>` +
    `<style>${STYLE}</style></head><body><main>${body}</main></body></html>`
  );
}

export interface SignInPageInput {
  lang: Lang;
  action: string;
  ctx: string;
  appName: string;
  loginHint: string;
  error?: { code: number; message: string };
}

export function signInPage(p: SignInPageInput): string {
  const t = TEXT[p.lang];
  const err =
    p.error === undefined
      ? ''
      : `<div id="passwordError" class="error" role="alert" data-aadsts="${p.error.code}">${escapeHtml(t.badPassword)}` +
        ` <span id="errorCode">AADSTS${p.error.code}</span></div>`;
  return layout(
    t.signIn,
    p.lang,
    `<h1 id="loginHeader">${t.signIn}</h1>` +
      `<div id="appName" class="app">${escapeHtml(p.appName)}</div>` +
      `<form id="signInForm" method="post" action="${escapeHtml(p.action)}" novalidate>` +
      `<input type="hidden" name="ctx" value="${escapeHtml(p.ctx)}">` +
      `<label for="i0116">${t.username}</label>` +
      `<input type="email" id="i0116" name="loginfmt" autocomplete="username" value="${escapeHtml(p.loginHint)}">` +
      `<label for="i0118">${t.password}</label>` +
      `<input type="password" id="i0118" name="passwd" autocomplete="current-password"${p.loginHint === '' ? '' : ' autofocus'}>` +
      err +
      `<div class="buttons"><button type="submit" id="idSIButton9" class="primary">${t.submit}</button></div>` +
      `</form>`,
  );
}

export function mfaPage(p: { lang: Lang; action: string; ctx: string; userName: string; wrongCode: boolean }): string {
  const t = TEXT[p.lang];
  return layout(
    t.mfaTitle,
    p.lang,
    `<h1 id="mfaHeader">${t.mfaTitle}</h1><div id="displayName">${escapeHtml(p.userName)}</div><p>${t.mfaHint}</p>` +
      `<form id="mfaForm" method="post" action="${escapeHtml(p.action)}">` +
      `<input type="hidden" name="ctx" value="${escapeHtml(p.ctx)}">` +
      `<label for="idTxtBx_SAOTCC_OTC">${t.mfaCode}</label>` +
      `<input type="text" id="idTxtBx_SAOTCC_OTC" name="otc" inputmode="numeric" autocomplete="one-time-code" autofocus>` +
      (p.wrongCode ? `<div id="idSpan_SAOTCC_Error_OTC" class="error" role="alert">${t.mfaWrong}</div>` : '') +
      `<div class="buttons"><button type="submit" id="idSubmit_SAOTCC_Continue" class="primary">${t.mfaSubmit}</button></div>` +
      `</form>`,
  );
}

export function consentPage(p: {
  lang: Lang;
  action: string;
  ctx: string;
  appName: string;
  userName: string;
  scopes: string[];
}): string {
  const t = TEXT[p.lang];
  const items = p.scopes.map((s) => `<li data-scope="${escapeHtml(s)}">${escapeHtml(s)}</li>`).join('');
  return layout(
    t.consentTitle,
    p.lang,
    `<div id="displayName">${escapeHtml(p.userName)}</div><h1 id="consentHeader">${t.consentTitle}</h1>` +
      `<div id="appName" class="app">${escapeHtml(p.appName)}</div><p>${t.consentIntro}</p><ul id="scopes">${items}</ul>` +
      `<form id="consentForm" method="post" action="${escapeHtml(p.action)}">` +
      `<input type="hidden" name="ctx" value="${escapeHtml(p.ctx)}">` +
      `<div class="buttons">` +
      `<button type="submit" id="idBtn_Back" name="consent" value="cancel" class="secondary">${t.cancel}</button>` +
      `<button type="submit" id="idBtn_Accept" name="consent" value="accept" class="primary">${t.accept}</button>` +
      `</div></form>`,
  );
}

export interface ErrorPageInput {
  lang: Lang;
  code: number;
  message: string;
  requestId: string;
  correlationId: string;
  timestamp: string;
}

/** The page Entra shows instead of redirecting (the redirect URI or client cannot be trusted, or the user must act). */
export function errorPage(p: ErrorPageInput): string {
  const t = TEXT[p.lang];
  return layout(
    t.errorTitle,
    p.lang,
    `<h1 id="errorTitle" role="alert">${t.errorTitle}</h1>` +
      `<div id="errorMessage" data-aadsts="${p.code}">AADSTS${p.code}: ${escapeHtml(p.message)}</div>` +
      `<h2 style="font-size:15px">${t.troubleshooting}</h2><dl id="troubleshooting">` +
      `<dt>${t.requestId}</dt><dd id="requestId">${escapeHtml(p.requestId)}</dd>` +
      `<dt>${t.correlationId}</dt><dd id="correlationId">${escapeHtml(p.correlationId)}</dd>` +
      `<dt>${t.timestamp}</dt><dd id="timestamp">${escapeHtml(p.timestamp)}</dd>` +
      `<dt>${t.message}</dt><dd id="errorCode">AADSTS${p.code}: ${escapeHtml(p.message)}</dd>` +
      `</dl>`,
  );
}

/** response_mode=form_post: an auto-submitting form, as Entra sends it. */
export function formPostPage(action: string, fields: [string, string][]): string {
  const inputs = fields.map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('');
  return (
    `<!DOCTYPE html><html><head><title>Working...</title></head><body onload="document.forms[0].submit()">` +
    `<form method="POST" name="hiddenform" action="${escapeHtml(action)}">${inputs}` +
    `<noscript><input type="submit" value="Continue"></noscript></form></body></html>`
  );
}

/** https://login.microsoftonline.com/common/oauth2/nativeclient is a blank page (content unconfirmed). */
export const NATIVE_CLIENT_PAGE = '<!DOCTYPE html><html><head><title></title></head><body></body></html>';

export function signedOutPage(lang: Lang): string {
  return layout(
    lang === 'de' ? 'Abgemeldet' : 'Signed out',
    lang,
    `<h1 id="signedOut">${lang === 'de' ? 'Sie haben sich abgemeldet.' : 'You signed out of your account'}</h1>`,
  );
}

// A federated domain's own identity provider (AD FS-like WS-Federation passive sign-in) on a host of its
// own: Entra's /authorize sends a user of the domain there, its page checks the password and posts an
// assertion back to the login host's /login.srf, which continues the /authorize transaction.

import { randomUUID } from 'node:crypto';
import { escapeHtml, formPostPage, pickLang, type Lang } from './pages';
import { html, parseForm, type Router } from './server';
import type { World } from './world';

/** What the login host and the federation host share: their origins and the one-time assertions. */
export class FederationBridge {
  loginOrigin = '';
  federationOrigin = '';
  private readonly assertions = new Map<string, { wctx: string; userId: string }>();

  /** Where Entra sends a user of a federated domain: the IdP's passive sign-in URL with the transaction. */
  signInUrl(wctx: string, username: string): string {
    const q = new URLSearchParams({ wa: 'wsignin1.0', wtrealm: 'urn:federation:MicrosoftOnline', wctx, username });
    return `${this.federationOrigin}/adfs/ls/?${q.toString()}`;
  }

  issue(wctx: string, userId: string): string {
    const id = randomUUID();
    this.assertions.set(id, { wctx, userId });
    return id;
  }

  /** Redeems an assertion once, for the transaction it was issued for. */
  redeem(assertion: string, wctx: string): string | undefined {
    const found = this.assertions.get(assertion);
    this.assertions.delete(assertion);
    return found?.wctx === wctx ? found.userId : undefined;
  }
}

const TEXT: Record<Lang, { title: string; user: string; password: string; submit: string; wrong: string }> = {
  de: {
    title: 'Anmelden – Verbundserver',
    user: 'Benutzername',
    password: 'Kennwort',
    submit: 'Anmelden',
    wrong: 'Falsche Benutzer-ID oder falsches Kennwort.',
  },
  en: {
    title: 'Sign In – federation server',
    user: 'User name',
    password: 'Password',
    submit: 'Sign in',
    wrong: 'Incorrect user ID or password.',
  },
};

function adfsPage(lang: Lang, wctx: string, username: string, wrong: boolean): string {
  const t = TEXT[lang];
  return (
    `<!DOCTYPE html><html lang="${lang}"><head><meta charset="utf-8"><title>${t.title}</title></head><body>` +
    `<h1 id="header">${t.title}</h1>` +
    `<form id="loginForm" method="post" action="/adfs/ls/">` +
    `<input type="hidden" name="wctx" value="${escapeHtml(wctx)}">` +
    `<label for="userNameInput">${t.user}</label>` +
    `<input id="userNameInput" name="UserName" type="email" value="${escapeHtml(username)}">` +
    `<label for="passwordInput">${t.password}</label>` +
    `<input id="passwordInput" name="Password" type="password">` +
    (wrong ? `<div id="errorText" role="alert">${t.wrong}</div>` : '') +
    `<button id="submitButton" type="submit">${t.submit}</button></form></body></html>`
  );
}

export function createFederationRouter(world: World, bridge: FederationBridge): Router {
  return async (ctx) => {
    const lang = pickLang(null, ctx.headers['accept-language']);
    if (ctx.url.pathname !== '/adfs/ls/') return html(404, '<!DOCTYPE html><title>404</title><h1>Not Found</h1>');
    if (ctx.method === 'GET') {
      const q = ctx.url.searchParams;
      return html(200, adfsPage(lang, q.get('wctx') ?? '', q.get('username') ?? '', false));
    }
    if (ctx.method !== 'POST') return html(405, '<!DOCTYPE html><title>405</title>');
    const form = parseForm(await ctx.body());
    const wctx = form.get('wctx') ?? '';
    const username = (form.get('UserName') ?? '').trim();
    const user = world.user(username);
    // This IdP answers for its federated domains only, as an AD FS answers for its own directory.
    if (user === undefined || !world.isFederated(username) || user.password !== (form.get('Password') ?? '')) {
      return html(200, adfsPage(lang, wctx, username, true));
    }
    const assertion = bridge.issue(wctx, user.id);
    return html(
      200,
      formPostPage(`${bridge.loginOrigin}/login.srf`, [
        ['wa', 'wsignin1.0'],
        ['wresult', assertion],
        ['wctx', wctx],
      ]),
    );
  };
}

// The browser half of Entra: /authorize, the sign-in, MFA and consent pages, SSO sessions and logout.

import { randomUUID } from 'node:crypto';
import { AAD, aadDescription, aadTimestamp, errorUri, type AadErrorSpec } from './errors';
import type { EntraContext } from './entra-context';
import { consentPage, errorPage, formPostPage, mfaPage, pickLang, signedOutPage, signInPage, type Lang } from './pages';
import { parseScopes, type ParsedScopes } from './scopes';
import { cookies, html, parseForm, redirect, type Reply, type RequestContext } from './server';
import { clientInfo } from './tokens';
import type { AppRegistration, Tenant, User } from './world';

const SESSION_COOKIE = 'ESTSAUTH';

/** One /authorize request in progress (the `ctx` hidden field of the pages). */
interface Transaction {
  id: string;
  segment: string;
  tenant: Tenant | undefined;
  app: AppRegistration;
  redirectUri: string;
  responseMode: string;
  state: string | null;
  nonce: string | null;
  scopes: ParsedScopes;
  graphScopes: string[];
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
  prompt: string | null;
  loginHint: string;
  wantClientInfo: boolean;
  correlationId: string;
  lang: Lang;
  userId?: string;
  mfa: boolean;
  consentDone: boolean;
  sessionId?: string;
  authTime?: number;
}

export interface AuthorizeEndpoints {
  authorize: (ctx: RequestContext, segment: string, params: URLSearchParams) => Reply;
  postLogin: (ctx: RequestContext) => Promise<Reply>;
  postMfa: (ctx: RequestContext) => Promise<Reply>;
  postConsent: (ctx: RequestContext) => Promise<Reply>;
  logout: (ctx: RequestContext) => Reply;
  /** POST /login.srf: the federation host's assertion comes back and the transaction continues. */
  postFederated: (ctx: RequestContext) => Promise<Reply>;
}

export function createAuthorizeEndpoints(e: EntraContext): AuthorizeEndpoints {
  const { world, grants, resolveTenant, trace, baseHeaders, federation } = e;
  const transactions = new Map<string, Transaction>();

  // ---- HTML answers ---------------------------------------------------------------------------------

  const pageError = (ctx: RequestContext, spec: AadErrorSpec, lang: Lang, correlationId?: string): Reply => {
    const t = trace(ctx, correlationId);
    return html(
      200,
      errorPage({
        lang,
        code: spec.code,
        message: spec.message,
        requestId: t.traceId,
        correlationId: t.correlationId,
        timestamp: aadTimestamp(t.now),
      }),
      baseHeaders(ctx),
    );
  };

  const redirectToApp = (
    ctx: RequestContext,
    txn: Transaction,
    pairs: [string, string][],
    extraHeaders: Record<string, string | string[]> = {},
  ): Reply => {
    const headers = { ...baseHeaders(ctx), ...extraHeaders };
    if (txn.responseMode === 'form_post') return html(200, formPostPage(txn.redirectUri, pairs), headers);
    const qs = new URLSearchParams(pairs).toString();
    const sep = txn.responseMode === 'fragment' ? '#' : txn.redirectUri.includes('?') ? '&' : '?';
    return redirect(`${txn.redirectUri}${sep}${qs}`, headers);
  };

  const redirectError = (ctx: RequestContext, txn: Transaction, spec: AadErrorSpec, errorOverride?: string): Reply => {
    const t = trace(ctx, txn.correlationId);
    const pairs: [string, string][] = [
      ['error', errorOverride ?? spec.error],
      ['error_description', aadDescription(spec, t)],
      ['error_uri', errorUri(spec.code)],
    ];
    if (txn.state !== null) pairs.push(['state', txn.state]);
    return redirectToApp(ctx, txn, pairs);
  };

  // ---- redirect URI rules ----------------------------------------------------------------------------

  const redirectMatches = (ctx: RequestContext, app: AppRegistration, uri: string): boolean => {
    if (app.redirectUris.includes(uri)) return true;
    // The app computes {authority host}/common/oauth2/nativeclient; on the emulator host that stands for
    // Microsoft's nativeclient URI registered by the manual's steps.
    if (uri === `${ctx.origin}/common/oauth2/nativeclient` && app.redirectUris.includes(e.cloud.nativeClient)) return true;
    // Entra ignores the port of http://localhost redirect URIs of native apps.
    try {
      const u = new URL(uri);
      if (u.protocol === 'http:' && (u.hostname === 'localhost' || u.hostname === '127.0.0.1')) {
        return app.redirectUris.some((r) => {
          const reg = new URL(r);
          return reg.protocol === 'http:' && reg.hostname === u.hostname && reg.pathname === u.pathname;
        });
      }
    } catch {
      return false;
    }
    return false;
  };

  // ---- authorize ------------------------------------------------------------------------------------

  const sessionFromCookie = (ctx: RequestContext, txn: Transaction) => {
    const id = cookies(ctx.headers).get(SESSION_COOKIE);
    const session = id === undefined ? undefined : grants.sessions.get(id);
    if (session === undefined) return undefined;
    if (txn.tenant !== undefined && session.tenantId !== txn.tenant.id) return undefined;
    return session;
  };

  const sessionCookie = (sessionId: string): string => `${SESSION_COOKIE}=${sessionId}; Path=/; Secure; HttpOnly; SameSite=None`;

  const authorize = (ctx: RequestContext, segment: string, params: URLSearchParams): Reply => {
    const lang = pickLang(params.get('ui_locales') ?? params.get('mkt'), ctx.headers['accept-language']);
    const correlationId = params.get('client-request-id') ?? ctx.clientRequestId ?? randomUUID();
    const ref = resolveTenant(segment);
    if (ref.kind === 'unknown') return pageError(ctx, AAD.unknownTenant(segment), lang, correlationId);
    const clientId = params.get('client_id');
    if (clientId === null || clientId === '') return pageError(ctx, AAD.missingParameter('client_id'), lang, correlationId);
    const tenant = ref.kind === 'tenant' ? ref.tenant : undefined;
    const app = world.app(clientId, tenant?.id);
    if (app === undefined) {
      return pageError(
        ctx,
        AAD.unknownClient(clientId, tenant === undefined ? segment : world.tenantDomain(tenant)),
        lang,
        correlationId,
      );
    }
    if (ref.kind === 'reserved' && app.signInAudience === 'AzureADMyOrg') {
      return pageError(ctx, AAD.notMultiTenant(app.clientId, app.displayName), lang, correlationId);
    }
    const redirectUri = params.get('redirect_uri');
    if (redirectUri === null || redirectUri === '')
      return pageError(ctx, AAD.missingParameter('redirect_uri'), lang, correlationId);
    if (!redirectMatches(ctx, app, redirectUri))
      return pageError(ctx, AAD.redirectMismatch(redirectUri, app.clientId), lang, correlationId);

    // From here on the redirect URI is trusted: protocol errors go back to the app.
    const scopes = parseScopes(params.get('scope') ?? '', e.cloud.graphResource);
    const txn: Transaction = {
      id: randomUUID(),
      segment,
      tenant,
      app,
      redirectUri,
      responseMode: params.get('response_mode') ?? 'query',
      state: params.get('state'),
      nonce: params.get('nonce'),
      scopes,
      graphScopes: scopes.graphDefault ? [...new Set([...app.delegatedPermissions, ...scopes.graph])] : scopes.graph,
      codeChallenge: params.get('code_challenge'),
      codeChallengeMethod: params.get('code_challenge_method'),
      prompt: params.get('prompt'),
      loginHint: params.get('login_hint') ?? '',
      wantClientInfo: params.get('client_info') === '1',
      correlationId,
      lang,
      mfa: false,
      consentDone: false,
    };
    const responseType = params.get('response_type') ?? '';
    if (responseType !== 'code') return redirectError(ctx, txn, AAD.unsupportedResponseType(responseType));
    if (scopes.unknown.length > 0 || scopes.raw.trim() === '') return redirectError(ctx, txn, AAD.invalidScope(scopes.raw));
    if (scopes.foreign.length > 0) {
      return redirectError(ctx, txn, AAD.resourceNotFound(scopes.foreign[0] ?? '', tenant?.displayName ?? segment));
    }
    if (txn.codeChallengeMethod !== null && !['S256', 'plain'].includes(txn.codeChallengeMethod)) {
      return redirectError(ctx, txn, AAD.pkceMethod());
    }
    if (txn.codeChallenge !== null && (txn.codeChallenge.length < 43 || txn.codeChallenge.length > 128)) {
      return redirectError(ctx, txn, AAD.pkceMethod());
    }
    transactions.set(txn.id, txn);

    const session = sessionFromCookie(ctx, txn);
    const sessionUser = session === undefined ? undefined : world.user(session.userId);
    const hintMatches = txn.loginHint === '' || (sessionUser !== undefined && world.user(txn.loginHint)?.id === sessionUser.id);
    if (txn.prompt === 'none') {
      if (session === undefined || !hintMatches) return redirectError(ctx, txn, AAD.loginRequired());
      Object.assign(txn, { userId: session.userId, mfa: session.mfa, sessionId: session.id, authTime: session.authTime });
      return continueAfterAuth(ctx, txn, false);
    }
    if (session !== undefined && hintMatches && txn.prompt !== 'login' && txn.prompt !== 'select_account') {
      Object.assign(txn, { userId: session.userId, mfa: session.mfa, sessionId: session.id, authTime: session.authTime });
      return continueAfterAuth(ctx, txn, true);
    }
    return signInOrFederate(ctx, txn, txn.loginHint);
  };

  /** Home realm discovery: a user of a federated domain goes to the domain's IdP, everyone else to Entra's page. */
  const signInOrFederate = (ctx: RequestContext, txn: Transaction, userName: string): Reply =>
    federation !== undefined && world.isFederated(userName)
      ? redirect(federation.signInUrl(txn.id, userName), baseHeaders(ctx))
      : renderSignIn(ctx, txn);

  const renderSignIn = (ctx: RequestContext, txn: Transaction, error?: AadErrorSpec, typed?: string): Reply =>
    html(
      200,
      signInPage({
        lang: txn.lang,
        action: `/${txn.segment}/login`,
        ctx: txn.id,
        appName: txn.app.displayName,
        loginHint: typed ?? txn.loginHint,
        ...(error === undefined ? {} : { error: { code: error.code, message: error.message } }),
      }),
      { ...baseHeaders(ctx), 'Cache-Control': 'no-store, no-cache' },
    );

  const renderMfa = (ctx: RequestContext, txn: Transaction, user: User, wrongCode: boolean): Reply =>
    html(
      200,
      mfaPage({
        lang: txn.lang,
        action: `/${txn.segment}/SAS/ProcessAuth`,
        ctx: txn.id,
        userName: user.userPrincipalName,
        wrongCode,
      }),
      baseHeaders(ctx),
    );

  /** After the user is known: account state, MFA, Conditional Access, consent, then the code. */
  const continueAfterAuth = (ctx: RequestContext, txn: Transaction, interactive: boolean): Reply => {
    const user = world.user(txn.userId ?? '');
    if (user === undefined) return renderSignIn(ctx, txn);
    if (!user.enabled) return pageError(ctx, AAD.userDisabled(), txn.lang, txn.correlationId);
    if (user.mfaRequired && !txn.mfa) {
      if (!interactive) return redirectError(ctx, txn, AAD.mfaRequired());
      return renderMfa(ctx, txn, user, false);
    }
    if (world.conditionalAccessBlock(user.id, txn.app.clientId) !== undefined) {
      if (!interactive) return redirectError(ctx, txn, AAD.conditionalAccess('interaction_required'));
      return pageError(ctx, AAD.conditionalAccess('interaction_required'), txn.lang, txn.correlationId);
    }
    // Fully authenticated: the browser gets an SSO session.
    if (txn.sessionId === undefined) {
      const s = grants.newSession(user.id, user.tenantId, txn.mfa, world.clock.now());
      txn.sessionId = s.id;
      txn.authTime = s.authTime;
    }
    const cookie = { 'Set-Cookie': sessionCookie(txn.sessionId) };
    const consented = world.consentedScopes(txn.app, user.id);
    const missing = txn.graphScopes.filter((s) => !consented.has(s));
    if (!txn.consentDone && (missing.length > 0 || txn.prompt === 'consent')) {
      if (!interactive)
        return redirectError(ctx, txn, AAD.consentRequired(txn.app.clientId, txn.app.displayName), 'consent_required');
      const shown = missing.length > 0 ? missing : txn.graphScopes;
      return html(
        200,
        consentPage({
          lang: txn.lang,
          action: `/${txn.segment}/Consent/Set`,
          ctx: txn.id,
          appName: txn.app.displayName,
          userName: user.userPrincipalName,
          scopes: shown,
        }),
        { ...baseHeaders(ctx), ...cookie },
      );
    }
    const code = grants.issueCode({
      clientId: txn.app.clientId,
      tenantId: user.tenantId,
      userId: user.id,
      redirectUri: txn.redirectUri,
      scopes: txn.scopes.raw.split(/\s+/).filter((s) => s !== ''),
      graphScopes: txn.graphScopes,
      ...(txn.codeChallenge === null ? {} : { codeChallenge: txn.codeChallenge }),
      ...(txn.codeChallengeMethod === null ? {} : { codeChallengeMethod: txn.codeChallengeMethod }),
      ...(txn.nonce === null ? {} : { nonce: txn.nonce }),
      sessionId: txn.sessionId,
      mfa: txn.mfa,
      authTime: txn.authTime ?? world.clock.now(),
      issuedAt: world.clock.now(),
    });
    transactions.delete(txn.id);
    const pairs: [string, string][] = [['code', code.code]];
    if (txn.wantClientInfo) pairs.push(['client_info', clientInfo(user.id, user.tenantId)]);
    if (txn.state !== null) pairs.push(['state', txn.state]);
    pairs.push(['session_state', txn.sessionId]);
    return redirectToApp(ctx, txn, pairs, cookie);
  };

  const transactionFrom = async (ctx: RequestContext): Promise<{ txn: Transaction | undefined; form: URLSearchParams }> => {
    const form = parseForm(await ctx.body());
    return { txn: transactions.get(form.get('ctx') ?? ''), form };
  };

  const staleTransaction = (ctx: RequestContext): Reply =>
    pageError(ctx, AAD.malformedGrant(), pickLang(null, ctx.headers['accept-language']));

  const postLogin = async (ctx: RequestContext): Promise<Reply> => {
    const { txn, form } = await transactionFrom(ctx);
    if (txn === undefined) return staleTransaction(ctx);
    const username = (form.get('loginfmt') ?? '').trim();
    if (federation !== undefined && world.isFederated(username)) return signInOrFederate(ctx, txn, username);
    const password = form.get('passwd') ?? '';
    const user = world.user(username, txn.tenant?.id);
    if (user === undefined || username === '') {
      return pageError(ctx, AAD.unknownUser(txn.tenant?.id ?? txn.segment), txn.lang, txn.correlationId);
    }
    if (user.password !== password) return renderSignIn(ctx, txn, AAD.badPassword(), username);
    txn.userId = user.id;
    txn.mfa = false;
    delete txn.sessionId; // a fresh sign-in starts a fresh session
    delete txn.authTime;
    return continueAfterAuth(ctx, txn, true);
  };

  const postMfa = async (ctx: RequestContext): Promise<Reply> => {
    const { txn, form } = await transactionFrom(ctx);
    if (txn === undefined) return staleTransaction(ctx);
    const user = world.user(txn.userId ?? '');
    if (user === undefined) return renderSignIn(ctx, txn);
    if ((form.get('otc') ?? '').trim() !== world.settings.mfaCode) {
      return renderMfa(ctx, txn, user, true);
    }
    txn.mfa = true;
    return continueAfterAuth(ctx, txn, true);
  };

  const postConsent = async (ctx: RequestContext): Promise<Reply> => {
    const { txn, form } = await transactionFrom(ctx);
    if (txn === undefined || txn.userId === undefined) return staleTransaction(ctx);
    if (form.get('consent') !== 'accept') {
      transactions.delete(txn.id);
      return redirectError(ctx, txn, AAD.consentDeclined());
    }
    world.grantUserConsent(txn.app.clientId, txn.userId, txn.graphScopes);
    txn.consentDone = true;
    return continueAfterAuth(ctx, txn, true);
  };

  const postFederated = async (ctx: RequestContext): Promise<Reply> => {
    const form = parseForm(await ctx.body());
    const wctx = form.get('wctx') ?? '';
    const txn = transactions.get(wctx);
    const userId = federation?.redeem(form.get('wresult') ?? '', wctx);
    if (txn === undefined || userId === undefined) return staleTransaction(ctx);
    const user = world.user(userId, txn.tenant?.id);
    if (user === undefined) return pageError(ctx, AAD.unknownUser(txn.tenant?.id ?? txn.segment), txn.lang, txn.correlationId);
    txn.userId = user.id;
    txn.mfa = false; // the IdP's own MFA claim is not emulated
    delete txn.sessionId;
    delete txn.authTime;
    return continueAfterAuth(ctx, txn, true);
  };

  // ---- logout ---------------------------------------------------------------------------------------

  const logout = (ctx: RequestContext): Reply => {
    const id = cookies(ctx.headers).get(SESSION_COOKIE);
    if (id !== undefined) grants.sessions.delete(id);
    const clear = { 'Set-Cookie': `${SESSION_COOKIE}=; Path=/; Secure; HttpOnly; SameSite=None; Max-Age=0` };
    const target = ctx.url.searchParams.get('post_logout_redirect_uri');
    if (target !== null) return redirect(target, { ...baseHeaders(ctx), ...clear });
    return html(200, signedOutPage(pickLang(ctx.url.searchParams.get('ui_locales'), ctx.headers['accept-language'])), {
      ...baseHeaders(ctx),
      ...clear,
    });
  };

  return { authorize, postLogin, postMfa, postConsent, logout, postFederated };
}

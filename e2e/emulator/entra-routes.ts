import { createHash, randomUUID } from 'node:crypto';
import { AAD, aadErrorBody, aadDescription, aadTimestamp, errorUri, type AadErrorSpec, type TraceContext } from './errors';
import {
  consentPage,
  errorPage,
  formPostPage,
  mfaPage,
  NATIVE_CLIENT_PAGE,
  pickLang,
  signedOutPage,
  signInPage,
  type Lang,
} from './pages';
import { parseScopes, responseScope, type ParsedScopes } from './scopes';
import { cookies, html, json, parseForm, redirect, type Reply, type RequestContext, type Router } from './server';
import {
  b64url,
  clientInfo,
  GRAPH_RESOURCE,
  pairwiseSub,
  signJwt,
  type GrantStore,
  type RefreshTokenGrant,
  type SigningKey,
} from './tokens';
import type { AppRegistration, Tenant, User, World } from './world';

const DAY_MS = 24 * 60 * 60 * 1000;
const RESERVED = new Set(['common', 'organizations', 'consumers']);
const SESSION_COOKIE = 'ESTSAUTH';
const MS_NATIVE_CLIENT = 'https://login.microsoftonline.com/common/oauth2/nativeclient';

export interface EntraDeps {
  world: World;
  grants: GrantStore;
  key: SigningKey;
}

type TenantRef =
  | { kind: 'tenant'; tenant: Tenant; segment: string }
  | { kind: 'reserved'; segment: string }
  | { kind: 'unknown'; segment: string };

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

export function createEntraRouter(deps: EntraDeps): Router {
  const { world, grants, key } = deps;
  const transactions = new Map<string, Transaction>();

  const resolveTenant = (segment: string): TenantRef => {
    if (RESERVED.has(segment.toLowerCase())) return { kind: 'reserved', segment: segment.toLowerCase() };
    const tenant = world.tenant(segment);
    return tenant === undefined ? { kind: 'unknown', segment } : { kind: 'tenant', tenant, segment };
  };

  const trace = (ctx: RequestContext, correlationId?: string): TraceContext => ({
    traceId: ctx.requestId,
    correlationId: correlationId ?? ctx.clientRequestId ?? randomUUID(),
    now: world.clock.now(),
  });

  const baseHeaders = (ctx: RequestContext): Record<string, string> => ({
    'x-ms-request-id': ctx.requestId,
    'x-ms-ests-server': '2.1.99999.1 - EMU ProdSlices',
  });

  // ---- JSON token-endpoint answers -----------------------------------------------------------------

  const tokenHeaders = (ctx: RequestContext, errorCode: number): Record<string, string> => ({
    ...baseHeaders(ctx),
    'Cache-Control': 'no-store, no-cache',
    Pragma: 'no-cache',
    Expires: '-1',
    'x-ms-clitelem': `1,${errorCode},0,,`,
    ...(ctx.clientRequestId === undefined ? {} : { 'client-request-id': ctx.clientRequestId }),
  });

  const tokenError = (ctx: RequestContext, spec: AadErrorSpec, errorOverride?: string): Reply =>
    json(spec.status, aadErrorBody(spec, trace(ctx), errorOverride), tokenHeaders(ctx, spec.code));

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
    if (uri === `${ctx.origin}/common/oauth2/nativeclient` && app.redirectUris.includes(MS_NATIVE_CLIENT)) return true;
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
    const scopes = parseScopes(params.get('scope') ?? '');
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
    return renderSignIn(ctx, txn);
  };

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

  /** After the user is known: account state, MFA, Conditional Access, consent, then the code. */
  const continueAfterAuth = (ctx: RequestContext, txn: Transaction, interactive: boolean): Reply => {
    const user = world.user(txn.userId ?? '');
    if (user === undefined) return renderSignIn(ctx, txn);
    if (!user.enabled) return pageError(ctx, AAD.userDisabled(), txn.lang, txn.correlationId);
    if (user.mfaRequired && !txn.mfa) {
      if (!interactive) return redirectError(ctx, txn, AAD.mfaRequired());
      return html(
        200,
        mfaPage({
          lang: txn.lang,
          action: `/${txn.segment}/SAS/ProcessAuth`,
          ctx: txn.id,
          userName: user.userPrincipalName,
          wrongCode: false,
        }),
        baseHeaders(ctx),
      );
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
      return html(
        200,
        mfaPage({
          lang: txn.lang,
          action: `/${txn.segment}/SAS/ProcessAuth`,
          ctx: txn.id,
          userName: user.userPrincipalName,
          wrongCode: true,
        }),
        baseHeaders(ctx),
      );
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

  // ---- token ------------------------------------------------------------------------------------------

  const authenticateClient = (app: AppRegistration, form: URLSearchParams, ctx: RequestContext): AadErrorSpec | undefined => {
    let secret = form.get('client_secret');
    const basic = /^Basic\s+(.+)$/i.exec(ctx.headers.authorization ?? '');
    if (secret === null && basic?.[1] !== undefined) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      secret = decodeURIComponent(decoded.slice(decoded.indexOf(':') + 1));
    }
    const assertion = form.get('client_assertion');
    if (app.type === 'public') return secret !== null || assertion !== null ? AAD.publicClientSentSecret() : undefined;
    // Certificate credentials are not modelled: an assertion never matches a registered key.
    if (assertion !== null)
      return { ...AAD.invalidSecret(app.clientId), code: 700027, message: 'Client assertion failed signature validation.' };
    if (secret === null || secret === '') return AAD.secretRequired();
    const match = app.secrets.find((s) => s.value === secret);
    if (match === undefined) return AAD.invalidSecret(app.clientId); // also when the Secret ID was pasted
    const now = world.clock.now();
    if (now >= Date.parse(match.endDateTime)) return AAD.expiredSecret(app.clientId);
    if (now < Date.parse(match.startDateTime)) return AAD.invalidSecret(app.clientId);
    return undefined;
  };

  const accessTokenLifetime = (): number => {
    const { min, max } = world.settings.accessTokenLifetimeSeconds;
    return min + Math.floor(Math.random() * Math.max(1, max - min));
  };

  const userTokenResponse = async (
    ctx: RequestContext,
    app: AppRegistration,
    user: User,
    o: {
      graphScopes: string[];
      oidc: Set<string>;
      nonce?: string;
      mfa: boolean;
      authTime: number;
      sessionId: string;
      wantClientInfo: boolean;
    },
  ): Promise<{ body: Record<string, unknown>; graphScopes: string[] }> => {
    const now = world.clock.now();
    const iat = Math.floor(now / 1000);
    const lifetime = accessTokenLifetime();
    const consented = world.consentedScopes(app, user.id);
    const graphScopes = [...new Set([...o.graphScopes, ...consented])];
    const tenantId = user.tenantId;
    const accessToken = await signJwt(key, {
      aud: GRAPH_RESOURCE,
      iss: `https://sts.windows.net/${tenantId}/`,
      iat,
      nbf: iat,
      exp: iat + lifetime,
      acct: 0,
      acr: '1',
      aio: b64url(randomUUID()),
      amr: o.mfa ? ['pwd', 'mfa'] : ['pwd'],
      app_displayname: app.displayName,
      appid: app.clientId,
      appidacr: app.type === 'public' ? '0' : '1',
      ...(user.surname === undefined ? {} : { family_name: user.surname }),
      ...(user.givenName === undefined ? {} : { given_name: user.givenName }),
      idtyp: 'user',
      ipaddr: '127.0.0.1',
      name: user.displayName,
      oid: user.id,
      platf: '3',
      rh: '0.AXoA',
      scp: [...graphScopes, 'profile', 'openid', 'email'].join(' '),
      sid: o.sessionId,
      sub: pairwiseSub(user.id, GRAPH_RESOURCE),
      tid: tenantId,
      unique_name: user.userPrincipalName,
      upn: user.userPrincipalName,
      uti: b64url(randomUUID()).slice(0, 22),
      ver: '1.0',
    });
    const body: Record<string, unknown> = {
      token_type: 'Bearer',
      scope: responseScope(graphScopes, o.oidc),
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: accessToken,
    };
    if (o.oidc.has('offline_access')) {
      const rt = grants.issueRefreshToken({
        clientId: app.clientId,
        tenantId,
        userId: user.id,
        graphScopes,
        issuedAt: now,
        authTime: o.authTime,
        sessionId: o.sessionId,
        mfa: o.mfa,
      });
      body['refresh_token'] = rt.token;
    }
    if (o.oidc.has('openid')) {
      body['id_token'] = await signJwt(key, {
        aud: app.clientId,
        iss: `${ctx.origin}/${tenantId}/v2.0`,
        iat,
        nbf: iat,
        exp: iat + 3600,
        name: user.displayName,
        ...(o.nonce === undefined ? {} : { nonce: o.nonce }),
        oid: user.id,
        preferred_username: user.userPrincipalName,
        rh: '0.AXoA',
        sid: o.sessionId,
        sub: pairwiseSub(user.id, app.clientId),
        tid: tenantId,
        uti: b64url(randomUUID()).slice(0, 22),
        ver: '2.0',
        login_hint: b64url(JSON.stringify({ oid: user.id, tid: tenantId, upn: user.userPrincipalName })),
        signin_state: ['kmsi'],
      });
    }
    if (o.wantClientInfo) body['client_info'] = clientInfo(user.id, tenantId);
    return { body, graphScopes };
  };

  const clientCredentials = async (
    ctx: RequestContext,
    form: URLSearchParams,
    app: AppRegistration,
    tenant: Tenant,
  ): Promise<Reply> => {
    const scope = form.get('scope');
    if (scope === null || scope.trim() === '') return tokenError(ctx, AAD.missingParameter('scope'));
    const scopes = scope.trim().split(/\s+/);
    const first = scopes[0] ?? '';
    if (scopes.length !== 1 || !first.endsWith('/.default')) return tokenError(ctx, AAD.scopeNotDefault(scope));
    const resource = first.slice(0, -'/.default'.length).replace(/\/$/, '');
    if (!/^(https:\/\/graph\.microsoft\.com|00000003-0000-0000-c000-000000000000)$/i.test(resource)) {
      return tokenError(ctx, AAD.resourceNotFound(resource, tenant.domains[0] ?? tenant.id));
    }
    if (world.conditionalAccessBlock(undefined, app.clientId) !== undefined)
      return tokenError(ctx, AAD.conditionalAccess('invalid_grant'));
    const iat = Math.floor(world.clock.now() / 1000);
    const lifetime = world.settings.appTokenLifetimeSeconds;
    const roles = world.grantedRoles(app);
    const accessToken = await signJwt(key, {
      aud: GRAPH_RESOURCE,
      iss: `https://sts.windows.net/${tenant.id}/`,
      iat,
      nbf: iat,
      exp: iat + lifetime,
      aio: b64url(randomUUID()),
      app_displayname: app.displayName,
      appid: app.clientId,
      appidacr: '1',
      idp: `https://sts.windows.net/${tenant.id}/`,
      idtyp: 'app',
      oid: app.servicePrincipalId,
      rh: '0.AXoA',
      // Entra omits `roles` entirely when no application permission is consented.
      ...(roles.length > 0 ? { roles } : {}),
      sub: app.servicePrincipalId,
      tid: tenant.id,
      uti: b64url(randomUUID()).slice(0, 22),
      ver: '1.0',
    });
    return json(
      200,
      { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken },
      tokenHeaders(ctx, 0),
    );
  };

  const authorizationCode = async (
    ctx: RequestContext,
    form: URLSearchParams,
    app: AppRegistration,
    tenant: Tenant | undefined,
  ): Promise<Reply> => {
    const code = form.get('code');
    if (code === null || code === '') return tokenError(ctx, AAD.missingParameter('code'));
    const redirectUri = form.get('redirect_uri');
    if (redirectUri === null || redirectUri === '') return tokenError(ctx, AAD.missingParameter('redirect_uri'));
    const grant = grants.codes.get(code);
    if (grant === undefined) return tokenError(ctx, AAD.malformedGrant());
    if (grant.clientId !== app.clientId || (tenant !== undefined && grant.tenantId !== tenant.id))
      return tokenError(ctx, AAD.invalidGrant());
    if (grant.redeemed) return tokenError(ctx, AAD.codeRedeemed());
    if (world.clock.now() - grant.issuedAt > world.settings.authCodeLifetimeSeconds * 1000)
      return tokenError(ctx, AAD.grantExpired());
    if (grant.redirectUri !== redirectUri) return tokenError(ctx, AAD.replyAddressMismatch(redirectUri, grant.redirectUri));
    if (grant.codeChallenge !== undefined) {
      const verifier = form.get('code_verifier') ?? '';
      const expected =
        grant.codeChallengeMethod === 'plain' ? verifier : createHash('sha256').update(verifier).digest('base64url');
      if (verifier === '' || expected !== grant.codeChallenge) return tokenError(ctx, AAD.pkceMismatch());
    }
    const user = world.user(grant.userId);
    if (user === undefined || !user.enabled) return tokenError(ctx, AAD.userDisabled());
    grant.redeemed = true;
    // The code carries the scopes consented at /authorize; the token request's `scope` cannot widen them.
    const oidc = parseScopes(grant.scopes.join(' ')).oidc;
    const { body } = await userTokenResponse(ctx, app, user, {
      graphScopes: grant.graphScopes,
      oidc,
      ...(grant.nonce === undefined ? {} : { nonce: grant.nonce }),
      mfa: grant.mfa,
      authTime: grant.authTime,
      sessionId: grant.sessionId,
      wantClientInfo: form.get('client_info') === '1',
    });
    return json(200, body, tokenHeaders(ctx, 0));
  };

  const refreshToken = async (
    ctx: RequestContext,
    form: URLSearchParams,
    app: AppRegistration,
    tenant: Tenant | undefined,
  ): Promise<Reply> => {
    const token = form.get('refresh_token');
    if (token === null || token === '') return tokenError(ctx, AAD.missingParameter('refresh_token'));
    const rt: RefreshTokenGrant | undefined = grants.refreshTokens.get(token);
    if (rt === undefined) return tokenError(ctx, AAD.malformedGrant());
    if (rt.clientId !== app.clientId || (tenant !== undefined && rt.tenantId !== tenant.id))
      return tokenError(ctx, AAD.invalidGrant());
    const user = world.user(rt.userId);
    if (user === undefined) return tokenError(ctx, AAD.invalidGrant());
    const now = world.clock.now();
    if (user.tokensValidFrom !== undefined && rt.authTime < user.tokensValidFrom) {
      return tokenError(ctx, AAD.grantRevoked(rt.authTime, user.tokensValidFrom));
    }
    const maxInactive = world.settings.refreshTokenMaxInactiveDays;
    if (now - rt.issuedAt > maxInactive * DAY_MS) return tokenError(ctx, AAD.refreshTokenInactive(rt.issuedAt, maxInactive));
    if (rt.replacedAt !== undefined && world.settings.invalidateRotatedRefreshTokens) return tokenError(ctx, AAD.invalidGrant());
    if (!user.enabled) return tokenError(ctx, AAD.userDisabled());
    if (world.conditionalAccessBlock(user.id, app.clientId) !== undefined)
      return tokenError(ctx, AAD.conditionalAccess('interaction_required'));
    if (user.mfaRequired && !rt.mfa) return tokenError(ctx, AAD.mfaRequired());
    const requested = parseScopes(form.get('scope') ?? '');
    if (requested.unknown.length > 0) return tokenError(ctx, AAD.invalidScope(requested.raw));
    const graphScopes = requested.graphDefault
      ? [...app.delegatedPermissions]
      : requested.graph.length > 0
        ? requested.graph
        : rt.graphScopes;
    const consented = world.consentedScopes(app, user.id);
    if (graphScopes.some((s) => !consented.has(s))) return tokenError(ctx, AAD.consentRequired(app.clientId, app.displayName));
    rt.replacedAt = now;
    const oidc = requested.oidc.size > 0 ? requested.oidc : new Set(['openid', 'profile', 'offline_access']);
    oidc.add('offline_access'); // a refresh grant always returns a new refresh token
    const { body } = await userTokenResponse(ctx, app, user, {
      graphScopes,
      oidc,
      mfa: rt.mfa,
      authTime: rt.authTime,
      sessionId: rt.sessionId,
      wantClientInfo: form.get('client_info') === '1',
    });
    return json(200, body, tokenHeaders(ctx, 0));
  };

  const token = async (ctx: RequestContext, segment: string): Promise<Reply> => {
    const form = parseForm(await ctx.body());
    const ref = resolveTenant(segment);
    if (ref.kind === 'unknown') return tokenError(ctx, AAD.unknownTenant(segment));
    const grantType = form.get('grant_type');
    if (grantType === null || grantType === '') return tokenError(ctx, AAD.missingParameter('grant_type'));
    let clientId = form.get('client_id');
    const basic = /^Basic\s+(.+)$/i.exec(ctx.headers.authorization ?? '');
    if ((clientId === null || clientId === '') && basic?.[1] !== undefined) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      clientId = decodeURIComponent(decoded.slice(0, decoded.indexOf(':')));
    }
    if (clientId === null || clientId === '') return tokenError(ctx, AAD.missingParameter('client_id'));
    const tenant = ref.kind === 'tenant' ? ref.tenant : undefined;
    if (grantType === 'client_credentials' && tenant === undefined) {
      return tokenError(ctx, {
        code: 50059,
        error: 'invalid_request',
        status: 400,
        message: 'No tenant-identifying information found in either the request or implied by any provided credentials.',
      });
    }
    const app = world.app(clientId, tenant?.id);
    if (app === undefined)
      return tokenError(ctx, AAD.unknownClient(clientId, tenant === undefined ? segment : world.tenantDomain(tenant)));
    const authError = authenticateClient(app, form, ctx);
    if (authError !== undefined) return tokenError(ctx, authError);
    switch (grantType) {
      case 'client_credentials':
        return clientCredentials(ctx, form, app, tenant as Tenant);
      case 'authorization_code':
        return authorizationCode(ctx, form, app, tenant);
      case 'refresh_token':
        return refreshToken(ctx, form, app, tenant);
      default:
        return tokenError(ctx, AAD.unsupportedGrantType(grantType));
    }
  };

  // ---- discovery ---------------------------------------------------------------------------------------

  const openIdConfiguration = (ctx: RequestContext, segment: string): Reply => {
    const ref = resolveTenant(segment);
    if (ref.kind === 'unknown') {
      return json(400, aadErrorBody(AAD.unknownTenant(segment, 'invalid_tenant'), trace(ctx)), baseHeaders(ctx));
    }
    // Reserved words stay in the endpoints; domains are answered with GUID endpoints (MSAL maps them back).
    const seg = ref.kind === 'tenant' ? ref.tenant.id : ref.segment;
    const issuerTenant = ref.kind === 'tenant' ? ref.tenant.id : '{tenantid}';
    const o = ctx.origin;
    return json(
      200,
      {
        token_endpoint: `${o}/${seg}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        jwks_uri: `${o}/${seg}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        issuer: `${o}/${issuerTenant}/v2.0`,
        request_uri_parameter_supported: false,
        userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
        authorization_endpoint: `${o}/${seg}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${o}/${seg}/oauth2/v2.0/devicecode`,
        http_logout_supported: true,
        frontchannel_logout_supported: true,
        end_session_endpoint: `${o}/${seg}/oauth2/v2.0/logout`,
        claims_supported: [
          'sub',
          'iss',
          'cloud_instance_name',
          'cloud_instance_host_name',
          'cloud_graph_host_name',
          'msgraph_host',
          'aud',
          'exp',
          'iat',
          'auth_time',
          'acr',
          'nonce',
          'preferred_username',
          'name',
          'tid',
          'ver',
          'at_hash',
          'c_hash',
          'email',
        ],
        kerberos_endpoint: `${o}/${seg}/kerberos`,
        tenant_region_scope: 'EU',
        cloud_instance_name: 'microsoftonline.com',
        cloud_graph_host_name: 'graph.windows.net',
        msgraph_host: 'graph.microsoft.com',
        rbac_url: 'https://pas.windows.net',
      },
      { ...baseHeaders(ctx), 'Cache-Control': 'max-age=86400, private', 'Access-Control-Allow-Origin': '*' },
    );
  };

  const instanceDiscovery = (ctx: RequestContext): Reply => {
    const host = new URL(ctx.origin).host;
    return json(
      200,
      {
        tenant_discovery_endpoint: `${ctx.origin}/{tenant}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      },
      baseHeaders(ctx),
    );
  };

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

  // ---- routing -----------------------------------------------------------------------------------------

  return async (ctx) => {
    const seg = ctx.url.pathname
      .split('/')
      .filter((s) => s !== '')
      .map(decodeURIComponent);
    const path = seg.slice(1).join('/');
    const tenantSeg = seg[0] ?? '';
    const get = ctx.method === 'GET' || ctx.method === 'HEAD';
    if (get && seg.join('/') === 'common/oauth2/nativeclient') return html(200, NATIVE_CLIENT_PAGE, baseHeaders(ctx));
    if (get && seg.join('/') === 'common/discovery/instance') return instanceDiscovery(ctx);
    if (get && path === 'v2.0/.well-known/openid-configuration') return openIdConfiguration(ctx, tenantSeg);
    if (get && (path === 'discovery/v2.0/keys' || path === 'discovery/keys')) {
      if (resolveTenant(tenantSeg).kind === 'unknown')
        return json(400, aadErrorBody(AAD.unknownTenant(tenantSeg, 'invalid_tenant'), trace(ctx)), baseHeaders(ctx));
      return json(200, { keys: [key.publicJwk] }, baseHeaders(ctx));
    }
    if (path === 'oauth2/v2.0/authorize') {
      if (get) return authorize(ctx, tenantSeg, ctx.url.searchParams);
      if (ctx.method === 'POST') return authorize(ctx, tenantSeg, parseForm(await ctx.body()));
    }
    if (path === 'oauth2/v2.0/token' && ctx.method === 'POST') return token(ctx, tenantSeg);
    if (path === 'oauth2/v2.0/logout' && get) return logout(ctx);
    if (ctx.method === 'POST' && path === 'login') return postLogin(ctx);
    if (ctx.method === 'POST' && path === 'SAS/ProcessAuth') return postMfa(ctx);
    if (ctx.method === 'POST' && path === 'Consent/Set') return postConsent(ctx);
    return html(404, '<!DOCTYPE html><title>404</title><h1>Not Found</h1>', baseHeaders(ctx));
  };
}

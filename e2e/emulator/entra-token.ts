// The token endpoint: client authentication and the client_credentials, authorization_code and
// refresh_token grants, answered with Entra's JSON shapes.

import { createHash, randomUUID } from 'node:crypto';
import { checkClientAssertion } from './client-assertion';
import { AAD, aadErrorBody, type AadErrorSpec } from './errors';
import type { EntraContext } from './entra-context';
import { parseScopes, responseScope } from './scopes';
import { json, parseForm, type Reply, type RequestContext } from './server';
import { b64url, clientInfo, GRAPH_APP_ID, pairwiseSub, signJwt } from './tokens';
import type { AppRegistration, Tenant, User } from './world';

const DAY_MS = 24 * 60 * 60 * 1000;

export function createTokenEndpoint(e: EntraContext): (ctx: RequestContext, segment: string) => Promise<Reply> {
  const { world, grants, key, resolveTenant, trace, baseHeaders } = e;

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

  /** client_secret_basic: one half of the Authorization header's `id:secret` (each form-urlencoded). */
  const basicCredential = (ctx: RequestContext, part: 'id' | 'secret'): string | undefined => {
    const basic = /^Basic\s+(.+)$/i.exec(ctx.headers.authorization ?? '');
    if (basic?.[1] === undefined) return undefined;
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return decodeURIComponent(part === 'id' ? decoded.slice(0, colon) : decoded.slice(colon + 1));
  };

  /** The one grant check of both redeeming grants: the code or refresh token exists and is this client's in this tenant. */
  const issuedGrant = <G extends { clientId: string; tenantId: string }>(
    store: ReadonlyMap<string, G>,
    value: string,
    app: AppRegistration,
    tenant: Tenant | undefined,
  ): { grant: G } | { error: AadErrorSpec } => {
    const grant = store.get(value);
    if (grant === undefined) return { error: AAD.malformedGrant() };
    if (grant.clientId !== app.clientId || (tenant !== undefined && grant.tenantId !== tenant.id)) {
      return { error: AAD.invalidGrant() };
    }
    return { grant };
  };

  /** The token endpoint URLs an assertion's `aud` may name: this tenant by segment, GUID or domain, v2.0 or v1. */
  const assertionAudiences = (ctx: RequestContext, segment: string, tenant: Tenant | undefined): string[] => {
    const names = [segment, ...(tenant === undefined ? [] : [tenant.id, ...tenant.domains])];
    return names.flatMap((n) => [`${ctx.origin}/${n}/oauth2/v2.0/token`, `${ctx.origin}/${n}/oauth2/token`]);
  };

  const authenticateClient = async (
    app: AppRegistration,
    form: URLSearchParams,
    ctx: RequestContext,
    audiences: string[],
  ): Promise<AadErrorSpec | undefined> => {
    const secret = form.get('client_secret') ?? basicCredential(ctx, 'secret') ?? null;
    const assertion = form.get('client_assertion');
    if (app.type === 'public') return secret !== null || assertion !== null ? AAD.publicClientSentSecret() : undefined;
    if (assertion !== null)
      return checkClientAssertion(app, assertion, form.get('client_assertion_type'), audiences, world.clock.now());
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
      aud: e.cloud.graphResource,
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
      sub: pairwiseSub(user.id, e.cloud.graphResource),
      tid: tenantId,
      unique_name: user.userPrincipalName,
      upn: user.userPrincipalName,
      uti: b64url(randomUUID()).slice(0, 22),
      ver: '1.0',
    });
    const body: Record<string, unknown> = {
      token_type: 'Bearer',
      scope: responseScope(graphScopes, o.oidc, e.cloud.graphResource),
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
    if (resource.toLowerCase() !== e.cloud.graphResource && resource.toLowerCase() !== GRAPH_APP_ID) {
      return tokenError(ctx, AAD.resourceNotFound(resource, tenant.domains[0] ?? tenant.id));
    }
    if (world.conditionalAccessBlock(undefined, app.clientId) !== undefined)
      return tokenError(ctx, AAD.conditionalAccess('invalid_grant'));
    const iat = Math.floor(world.clock.now() / 1000);
    const lifetime = world.settings.appTokenLifetimeSeconds;
    const roles = world.grantedRoles(app);
    const accessToken = await signJwt(key, {
      aud: e.cloud.graphResource,
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
    const found = issuedGrant(grants.codes, code, app, tenant);
    if ('error' in found) return tokenError(ctx, found.error);
    const { grant } = found;
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
    const oidc = parseScopes(grant.scopes.join(' '), e.cloud.graphResource).oidc;
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
    const found = issuedGrant(grants.refreshTokens, token, app, tenant);
    if ('error' in found) return tokenError(ctx, found.error);
    const rt = found.grant;
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
    const requested = parseScopes(form.get('scope') ?? '', e.cloud.graphResource);
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
    if (ref.kind === 'unknown') {
      // Entra's global instance knows where a US Government tenant lives and refuses confidential clients across clouds.
      const confidential =
        form.get('grant_type') === 'client_credentials' || form.has('client_secret') || form.has('client_assertion');
      if (ref.homeCloud !== undefined && e.cloud.id === 'global' && ref.homeCloud.startsWith('usgov') && confidential)
        return tokenError(ctx, AAD.crossCloudConfidentialClient());
      return tokenError(ctx, AAD.unknownTenant(segment));
    }
    const grantType = form.get('grant_type');
    if (grantType === null || grantType === '') return tokenError(ctx, AAD.missingParameter('grant_type'));
    let clientId = form.get('client_id');
    if (clientId === null || clientId === '') clientId = basicCredential(ctx, 'id') ?? clientId;
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
    const authError = await authenticateClient(app, form, ctx, assertionAudiences(ctx, segment, tenant));
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

  return token;
}

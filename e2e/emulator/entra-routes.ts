// The login host's router: maps Entra's paths onto the authorize, token and discovery endpoints.

import { createAuthorizeEndpoints } from './entra-authorize';
import { createEntraContext, type EntraDeps } from './entra-context';
import { createDiscoveryEndpoints } from './entra-discovery';
import { createTokenEndpoint } from './entra-token';
import { html, parseForm, type Router } from './server';

export type { EntraDeps } from './entra-context';

export function createEntraRouter(deps: EntraDeps): Router {
  const entra = createEntraContext(deps);
  const { authorize, postLogin, postMfa, postConsent, logout, postFederated } = createAuthorizeEndpoints(entra);
  const token = createTokenEndpoint(entra);
  const discovery = createDiscoveryEndpoints(entra);

  return async (ctx) => {
    const seg = ctx.url.pathname
      .split('/')
      .filter((s) => s !== '')
      .map(decodeURIComponent);
    const path = seg.slice(1).join('/');
    const tenantSeg = seg[0] ?? '';
    const get = ctx.method === 'GET' || ctx.method === 'HEAD';
    if (get && seg.join('/') === 'common/oauth2/nativeclient') return discovery.nativeClient(ctx);
    if (get && seg.join('/') === 'common/discovery/instance') return discovery.instanceDiscovery(ctx);
    if (get && path === 'v2.0/.well-known/openid-configuration') return discovery.openIdConfiguration(ctx, tenantSeg);
    if (get && (path === 'discovery/v2.0/keys' || path === 'discovery/keys')) return discovery.keys(ctx, tenantSeg);
    if (ctx.method === 'POST' && seg.join('/') === 'login.srf') return postFederated(ctx);
    if (path === 'oauth2/v2.0/authorize') {
      if (get) return authorize(ctx, tenantSeg, ctx.url.searchParams);
      if (ctx.method === 'POST') return authorize(ctx, tenantSeg, parseForm(await ctx.body()));
    }
    if (path === 'oauth2/v2.0/token' && ctx.method === 'POST') return token(ctx, tenantSeg);
    if (path === 'oauth2/v2.0/logout' && get) return logout(ctx);
    if (ctx.method === 'POST' && path === 'login') return postLogin(ctx);
    if (ctx.method === 'POST' && path === 'SAS/ProcessAuth') return postMfa(ctx);
    if (ctx.method === 'POST' && path === 'Consent/Set') return postConsent(ctx);
    return html(404, '<!DOCTYPE html><title>404</title><h1>Not Found</h1>', entra.baseHeaders(ctx));
  };
}

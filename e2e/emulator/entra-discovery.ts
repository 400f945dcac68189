// The metadata MSAL reads before it signs anyone in: OpenID configuration, instance discovery, JWKS
// and the nativeclient landing page.

import { emulatedCloud } from './clouds';
import { AAD, aadErrorBody } from './errors';
import type { EntraContext } from './entra-context';
import { NATIVE_CLIENT_PAGE } from './pages';
import { html, json, type Reply, type RequestContext } from './server';

export interface DiscoveryEndpoints {
  openIdConfiguration: (ctx: RequestContext, segment: string) => Reply;
  instanceDiscovery: (ctx: RequestContext) => Reply;
  keys: (ctx: RequestContext, segment: string) => Reply;
  nativeClient: (ctx: RequestContext) => Reply;
}

export function createDiscoveryEndpoints(e: EntraContext): DiscoveryEndpoints {
  const { key, resolveTenant, trace, baseHeaders } = e;

  const unknownTenant = (ctx: RequestContext, segment: string): Reply =>
    json(400, aadErrorBody(AAD.unknownTenant(segment, 'invalid_tenant'), trace(ctx)), baseHeaders(ctx));

  const openIdConfiguration = (ctx: RequestContext, segment: string): Reply => {
    const ref = resolveTenant(segment);
    // The global instance answers for a US Government tenant too, naming its cloud (cloud_instance_name).
    const crossCloud = ref.kind === 'unknown' && ref.homeCloud !== undefined && e.cloud.id === 'global';
    if (ref.kind === 'unknown' && !crossCloud) return unknownTenant(ctx, segment);
    const cloud = ref.kind === 'unknown' ? emulatedCloud(ref.homeCloud) : e.cloud;
    const tenantId = ref.kind === 'tenant' ? ref.tenant.id : crossCloud ? (e.world.tenant(segment)?.id ?? segment) : undefined;
    // Reserved words stay in the endpoints; domains are answered with GUID endpoints (MSAL maps them back).
    const seg = tenantId ?? ref.segment;
    const issuerTenant = tenantId ?? '{tenantid}';
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
        tenant_region_scope: cloud.regionScope,
        cloud_instance_name: cloud.instanceName,
        cloud_graph_host_name: 'graph.windows.net',
        msgraph_host: cloud.msgraphHost,
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

  const keys = (ctx: RequestContext, segment: string): Reply => {
    if (resolveTenant(segment).kind === 'unknown') return unknownTenant(ctx, segment);
    return json(200, { keys: [key.publicJwk] }, baseHeaders(ctx));
  };

  const nativeClient = (ctx: RequestContext): Reply => html(200, NATIVE_CLIENT_PAGE, baseHeaders(ctx));

  return { openIdConfiguration, instanceDiscovery, keys, nativeClient };
}

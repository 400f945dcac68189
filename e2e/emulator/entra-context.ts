// What every Entra endpoint shares: the world, the grant store, the key, tenant resolution and headers.

import { randomUUID } from 'node:crypto';
import type { CloudId } from '../../shared/clouds';
import { emulatedCloud, type EmulatedCloud } from './clouds';
import type { TraceContext } from './errors';
import type { FederationBridge } from './federation-routes';
import type { RequestContext } from './server';
import type { GrantStore, SigningKey } from './tokens';
import type { Tenant, World } from './world';

const RESERVED = new Set(['common', 'organizations', 'consumers']);

export interface EntraDeps {
  world: World;
  grants: GrantStore;
  key: SigningKey;
  /** The federated domains' IdP host; without it a federated user signs in on Entra's own page. */
  federation?: FederationBridge;
  /** The cloud instance this login host is (default: global). */
  cloud?: CloudId;
}

export type TenantRef =
  | { kind: 'tenant'; tenant: Tenant; segment: string }
  | { kind: 'reserved'; segment: string }
  /** homeCloud: the tenant exists, but in another cloud instance (unknown here, as in Entra). */
  | { kind: 'unknown'; segment: string; homeCloud?: CloudId };

export interface EntraContext extends Omit<EntraDeps, 'cloud'> {
  cloud: EmulatedCloud;
  resolveTenant: (segment: string) => TenantRef;
  trace: (ctx: RequestContext, correlationId?: string) => TraceContext;
  baseHeaders: (ctx: RequestContext) => Record<string, string>;
}

export function createEntraContext(deps: EntraDeps): EntraContext {
  const { world } = deps;
  const cloud = emulatedCloud(deps.cloud);

  const resolveTenant = (segment: string): TenantRef => {
    if (RESERVED.has(segment.toLowerCase())) return { kind: 'reserved', segment: segment.toLowerCase() };
    const tenant = world.tenant(segment);
    if (tenant === undefined) return { kind: 'unknown', segment };
    const home = tenant.cloud ?? 'global';
    return home === cloud.id ? { kind: 'tenant', tenant, segment } : { kind: 'unknown', segment, homeCloud: home };
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

  return { ...deps, cloud, resolveTenant, trace, baseHeaders };
}

import { describe, expect, it } from 'vitest';
import type { HttpTransport } from '../ports';
import { TenantIds, tenantOfIssuer } from './tenant-id';

const TID = '72f988bf-86f1-41af-91ab-2d7cd011db47';

function transport(status: number, body: string) {
  const urls: string[] = [];
  const t: HttpTransport = {
    fetch: (url: string) => {
      urls.push(url);
      return Promise.resolve({ status, headers: {}, text: () => Promise.resolve(body) });
    },
    useProxy: () => undefined,
  };
  return { t, urls };
}

describe('tenant ids (OA-3 for domain tenants)', () => {
  it('reads the GUID from v2 and v1 issuers, nothing from a placeholder or junk', () => {
    expect(tenantOfIssuer(`https://login.microsoftonline.com/${TID.toUpperCase()}/v2.0`)).toBe(TID);
    expect(tenantOfIssuer(`https://sts.windows.net/${TID}/`)).toBe(TID);
    expect(tenantOfIssuer('https://login.microsoftonline.com/{tenantid}/v2.0')).toBeNull();
    expect(tenantOfIssuer('not a url')).toBeNull();
    expect(tenantOfIssuer(42)).toBeNull();
  });

  it("a GUID is itself (no request); a domain is its discovery document's issuer, asked once", async () => {
    const { t, urls } = transport(200, JSON.stringify({ issuer: `https://login.example/${TID}/v2.0` }));
    const ids = new TenantIds(t, 1000);
    expect(await ids.resolve('https://login.example', TID.toUpperCase())).toBe(TID);
    expect(urls).toEqual([]);
    expect(await ids.resolve('https://login.example', 'contoso.onmicrosoft.com')).toBe(TID);
    expect(await ids.resolve('https://login.example', 'Contoso.onmicrosoft.com')).toBe(TID);
    expect(urls).toEqual(['https://login.example/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration']);
  });

  it('an unknown domain or an answer without issuer is an error, never a guess', async () => {
    await expect(
      new TenantIds(transport(400, '{"error":"invalid_tenant"}').t, 1000).resolve('https://l', 'x.example'),
    ).rejects.toThrow(/HTTP 400/);
    await expect(new TenantIds(transport(200, '{}').t, 1000).resolve('https://l', 'x.example')).rejects.toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import type { Finding } from '../diagnostics/classify';
import { DEFAULT_NETWORK } from '../net/endpoints';
import type { HttpTransport } from '../ports';
import { CLOUD_IDS } from '../../../shared/clouds';
import { RESOURCES } from '../../../shared/i18n/resources';
import { CLOUD_NAMES, explainCloudMismatch } from './tenant-cloud';

const finding = (id: Finding['id']): Finding => ({
  id,
  code: 'AADSTS90002',
  httpStatus: 400,
  correlationId: null,
  requestId: null,
  timestamp: null,
  params: {},
  detail: '',
});

/** Answers discovery per host: a cloud_instance_name, a status, or a network failure. */
function transport(answers: Record<string, string | number | Error>): HttpTransport & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    useProxy: () => undefined,
    fetch: (url) => {
      asked.push(url);
      const a = answers[new URL(url).host];
      if (a instanceof Error) return Promise.reject(a);
      const status = typeof a === 'number' ? a : a === undefined ? 400 : 200;
      return Promise.resolve({ status, headers: {}, text: () => Promise.resolve(JSON.stringify({ cloud_instance_name: a })) });
    },
  };
}

const deps = (t: HttpTransport) => ({ network: DEFAULT_NETWORK, transport: t });

describe('explainCloudMismatch', () => {
  it('names the cloud whose Entra ID knows the tenant; asks only the other clouds, without credentials', async () => {
    const t = transport({ 'login.microsoftonline.us': 'microsoftonline.us', 'login.chinacloudapi.cn': 400 });
    const out = await explainCloudMismatch(
      deps(t),
      { cloud: 'global', tenant: ' contoso.onmicrosoft.us ' },
      finding('aad-cross-cloud'),
    );
    expect(out.id).toBe('aad-cloud-mismatch');
    expect(out.params).toEqual({
      tenant: 'contoso.onmicrosoft.us',
      tenantCloud: 'US Government (GCC High)',
      profileCloud: 'Global',
    });
    expect(t.asked.map((u) => new URL(u).host).sort()).toEqual(['login.chinacloudapi.cn', 'login.microsoftonline.us']);
    expect(t.asked.every((u) => u.endsWith('/contoso.onmicrosoft.us/v2.0/.well-known/openid-configuration'))).toBe(true);
  });

  it('GCC High and DoD share one Entra instance: no mismatch between them', async () => {
    const t = transport({ 'login.microsoftonline.com': 'microsoftonline.us' });
    const out = await explainCloudMismatch(
      deps(t),
      { cloud: 'usgov-dod', tenant: 'x.onmicrosoft.us' },
      finding('aad-tenant-not-found'),
    );
    expect(out.id).toBe('aad-tenant-not-found');
  });

  it('keeps the diagnosis when no cloud knows the tenant or a cloud is unreachable', async () => {
    const t = transport({ 'login.microsoftonline.us': new Error('ENOTFOUND'), 'login.chinacloudapi.cn': 400 });
    const out = await explainCloudMismatch(
      deps(t),
      { cloud: 'global', tenant: 'nobody.example' },
      finding('aad-tenant-not-found'),
    );
    expect(out).toEqual(finding('aad-tenant-not-found'));
  });

  it('asks nothing for diagnoses that are no cloud question', async () => {
    const t = transport({ 'login.microsoftonline.us': 'microsoftonline.us' });
    const out = await explainCloudMismatch(
      deps(t),
      { cloud: 'global', tenant: 'contoso.onmicrosoft.us' },
      finding('aad-secret-invalid'),
    );
    expect(out.id).toBe('aad-secret-invalid');
    expect(t.asked).toEqual([]);
  });

  it("names the clouds exactly as the mask's cloud list does, in both languages", () => {
    for (const lang of ['de', 'en'] as const) {
      const labels = RESOURCES[lang].ui['cloud'];
      expect(CLOUD_IDS.map((id) => (typeof labels === 'object' ? labels[id] : undefined))).toEqual(
        CLOUD_IDS.map((id) => CLOUD_NAMES[id]),
      );
    }
  });
});

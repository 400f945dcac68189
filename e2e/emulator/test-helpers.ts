/** Helpers shared by the emulator's integration tests (real MSAL, real Graph client; nothing mocked). */
import { ConfidentialClientApplication, PublicClientApplication } from '@azure/msal-node';
import { Client, GraphError } from '@microsoft/microsoft-graph-client';
import { decodeJwt } from 'jose';
import { expect } from 'vitest';
import { DEMO } from './demo-world';
import type { Emulator } from './index';

export function cca(emu: Emulator, clientId: string, clientSecret: string, tenant?: string): ConfidentialClientApplication {
  return new ConfidentialClientApplication({ auth: { clientId, clientSecret, ...emu.msalAuthority(tenant) } });
}

export function pca(emu: Emulator, clientId: string, tenant?: string): PublicClientApplication {
  return new PublicClientApplication({ auth: { clientId, ...emu.msalAuthority(tenant) } });
}

/** The real Graph client pointed at the emulator (customHosts takes the hostname without port). */
export function graph(emu: Emulator, token: string | (() => string | Promise<string>)): Client {
  return Client.initWithMiddleware({
    authProvider: { getAccessToken: async () => (typeof token === 'string' ? token : token()) },
    baseUrl: emu.graphRoot,
    customHosts: new Set([emu.graphHostname]),
  });
}

/** Client-credentials Graph tokens, fetched once per app for the file (`emu` is read late: it starts in beforeAll). */
export function appTokens(emu: () => Emulator): (a: { clientId: string; secretValue: string }) => Promise<string> {
  const tokens = new Map<string, string>();
  return async (a) => {
    const cached = tokens.get(a.clientId);
    if (cached !== undefined) return cached;
    const r = await cca(emu(), a.clientId, a.secretValue).acquireTokenByClientCredential({
      scopes: [DEMO.graphDefaultScope],
    });
    const token = r?.accessToken ?? '';
    tokens.set(a.clientId, token);
    return token;
  };
}

/** Runs a Graph client call expected to fail and returns the GraphError. */
export async function graphError(p: Promise<unknown>): Promise<GraphError> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(GraphError);
  return e as GraphError;
}

export function claims(token: string): Record<string, unknown> {
  return decodeJwt(token);
}

/** POSTs a form to the token endpoint with Node's fetch (trusting the CA via NODE_EXTRA_CA_CERTS). */
export async function rawToken(
  emu: Emulator,
  tenant: string,
  form: Record<string, string>,
  correlationId?: string,
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const query = correlationId === undefined ? '' : `?client-request-id=${correlationId}`;
  const res = await fetch(`${emu.authorityHost}/${tenant}/oauth2/v2.0/token${query}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$/;

/** Field-by-field check of Entra's token-endpoint error JSON (reference §3.1). */
export function expectAadErrorBody(
  body: Record<string, unknown>,
  expected: { error: string; code: number; messageStart: string; correlationId?: string; suberror?: string },
): void {
  expect(body['error']).toBe(expected.error);
  expect(body['error_codes']).toEqual([expected.code]);
  const traceId = body['trace_id'] as string;
  const correlationId = body['correlation_id'] as string;
  const timestamp = body['timestamp'] as string;
  expect(traceId).toMatch(GUID);
  expect(correlationId).toMatch(GUID);
  if (expected.correlationId !== undefined) expect(correlationId).toBe(expected.correlationId);
  expect(timestamp).toMatch(TIMESTAMP);
  expect(body['error_uri']).toBe(`https://login.microsoftonline.com/error?code=${expected.code}`);
  const description = body['error_description'] as string;
  expect(description.startsWith(`AADSTS${expected.code}: ${expected.messageStart}`)).toBe(true);
  expect(description).toMatch(
    new RegExp(`\\r\\nTrace ID: ${traceId}\\r\\nCorrelation ID: ${correlationId}\\r\\nTimestamp: ${timestamp}$`),
  );
  if (expected.suberror === undefined) expect(body).not.toHaveProperty('suberror');
  else expect(body['suberror']).toBe(expected.suberror);
}

/** Field-by-field check of a Graph error (reference §5.5). */
export function expectGraphErrorBody(body: unknown, expected: { code: string; message: string; clientRequestId?: string }): void {
  const error = (body as { error: { code: string; message: string; innerError: Record<string, string> } }).error;
  expect(error.code).toBe(expected.code);
  expect(error.message).toBe(expected.message);
  expect(error.innerError['request-id']).toMatch(GUID);
  expect(error.innerError['date']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
  if (expected.clientRequestId !== undefined) expect(error.innerError['client-request-id']).toBe(expected.clientRequestId);
}

export const sampleMail = (to = 'lieferant@example.com') => ({
  message: {
    subject: 'Bestellung 4711',
    body: { contentType: 'Text', content: 'Bitte liefern Sie 10 Stück.' },
    toRecipients: [{ emailAddress: { address: to, name: 'Lieferant' } }],
  },
  saveToSentItems: false,
});

import { randomUUID } from 'node:crypto';
import { BatchRequestContent, BatchResponseContent } from '@microsoft/microsoft-graph-client';
import { SignJWT, generateKeyPair } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startEmulator, type Emulator } from './index';
import { appTokens, expectGraphErrorBody, graph, graphError, sampleMail } from './test-helpers';

let emu: Emulator;
const appToken = appTokens(() => emu);

beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});
afterEach(() => {
  emu.clearFaults();
});

describe('Graph sendMail with the real Graph client', () => {
  it('accepts a message for the sender mailbox (202) and puts it in the sink', async () => {
    const token = await appToken(DEMO.confidentialApp);
    emu.clearSentMessages();
    const client = graph(emu, () => token);
    await client.api(`/users/${DEMO.sender.upn}/sendMail`).post(sampleMail());
    const sent = emu.sentMessages();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      sender: DEMO.sender.upn,
      senderId: DEMO.sender.id,
      from: { address: DEMO.sender.upn },
      toRecipients: [{ address: 'lieferant@example.com', name: 'Lieferant' }],
      ccRecipients: [],
      bccRecipients: [],
      subject: 'Bestellung 4711',
      body: { contentType: 'Text', content: 'Bitte liefern Sie 10 Stück.' },
      saveToSentItems: false,
      appId: DEMO.confidentialApp.clientId,
      viaBatch: false,
    });
    const post = emu.requests().find((r) => r.path.endsWith('/sendMail'));
    expect(post).toMatchObject({ host: 'graph', method: 'POST', status: 202, path: `/v1.0/users/${DEMO.sender.upn}/sendMail` });
  });

  it('sends 202 without a JSON content type', async () => {
    const token = await appToken(DEMO.confidentialApp);
    const res = await fetch(`${emu.graphBaseUrl}/users/${DEMO.sender.id}/sendMail`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'client-request-id': 'abc' },
      body: JSON.stringify(sampleMail()),
    });
    expect(res.status).toBe(202);
    expect(res.headers.get('content-type')).toBeNull();
    expect(res.headers.get('client-request-id')).toBe('abc');
    expect(res.headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await res.text()).toBe('');
  });

  it('refuses a mailbox outside the access policy (403 ErrorAccessDenied "Access to OData is disabled.")', async () => {
    const token = await appToken(DEMO.confidentialApp);
    const e = await graphError(
      graph(emu, () => token)
        .api(`/users/${DEMO.otherMailbox.upn}/sendMail`)
        .post(sampleMail()),
    );
    expect(e.statusCode).toBe(403);
    expect(e.code).toBe('ErrorAccessDenied');
    expect(e.message).toBe('Access to OData is disabled.');
    expect(e.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expectGraphErrorBody(
      { error: JSON.parse(e.body as string) as unknown },
      {
        code: 'ErrorAccessDenied',
        message: 'Access to OData is disabled.',
      },
    );
  });

  it('lets the broad app send as anyone (no restriction) and refuses apps without Mail.Send', async () => {
    await graph(emu, await appToken(DEMO.broadApp))
      .api(`/users/${DEMO.otherMailbox.upn}/sendMail`)
      .post(sampleMail());
    for (const a of [DEMO.noConsentApp, DEMO.noMailSendApp]) {
      const token = await appToken(a);
      const e = await graphError(
        graph(emu, () => token)
          .api(`/users/${DEMO.sender.upn}/sendMail`)
          .post(sampleMail()),
      );
      expect([e.statusCode, e.code, e.message]).toEqual([
        403,
        'ErrorAccessDenied',
        'Access is denied. Check credentials and try again.',
      ]);
    }
  });

  it('honours RBAC for Applications (no roles in the token, sender only)', async () => {
    const token = await appToken(DEMO.rbacApp);
    await graph(emu, () => token)
      .api(`/users/${DEMO.sender.upn}/sendMail`)
      .post(sampleMail());
    const e = await graphError(
      graph(emu, () => token)
        .api(`/users/${DEMO.otherMailbox.upn}/sendMail`)
        .post(sampleMail()),
    );
    expect(e.statusCode).toBe(403);
  });

  it('answers 404s for unknown users and mailboxes without Exchange Online', async () => {
    const token = await appToken(DEMO.broadApp);
    const unknown = await graphError(
      graph(emu, () => token)
        .api('/users/nobody@contoso.onmicrosoft.com/sendMail')
        .post(sampleMail()),
    );
    expect([unknown.statusCode, unknown.code, unknown.message]).toEqual([
      404,
      'ErrorInvalidUser',
      "The requested user 'nobody@contoso.onmicrosoft.com' is invalid.",
    ]);
    const noMailbox = await graphError(
      graph(emu, () => token)
        .api(`/users/${DEMO.unlicensedUser.upn}/sendMail`)
        .post(sampleMail()),
    );
    expect([noMailbox.statusCode, noMailbox.code]).toEqual([404, 'MailboxNotEnabledForRESTAPI']);
  });

  it('rejects bad bodies with 400', async () => {
    const token = await appToken(DEMO.confidentialApp);
    const client = graph(emu, () => token);
    const noRecipients = await graphError(client.api(`/users/${DEMO.sender.upn}/sendMail`).post({ message: { subject: 'x' } }));
    expect([noRecipients.statusCode, noRecipients.code]).toEqual([400, 'ErrorInvalidRecipients']);
    const noMessage = await graphError(client.api(`/users/${DEMO.sender.upn}/sendMail`).post({ saveToSentItems: false }));
    expect([noMessage.statusCode, noMessage.code]).toEqual([400, 'ErrorInvalidRequest']);
    const res = await fetch(`${emu.graphBaseUrl}/users/${DEMO.sender.upn}/sendMail`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: '{"message":',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expectGraphErrorBody(await res.json(), {
      code: 'BadRequest',
      message:
        'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
    });
  });

  it('refuses a `from` the mailbox may not send as (ErrorSendAsDenied)', async () => {
    const token = await appToken(DEMO.confidentialApp);
    const mail = sampleMail();
    const e = await graphError(
      graph(emu, () => token)
        .api(`/users/${DEMO.sender.upn}/sendMail`)
        .post({ ...mail, message: { ...mail.message, from: { emailAddress: { address: DEMO.otherMailbox.upn } } } }),
    );
    expect([e.statusCode, e.code]).toEqual([403, 'ErrorSendAsDenied']);
  });

  it('returns /me with an app token as 400 BadRequest', async () => {
    const token = await appToken(DEMO.confidentialApp);
    const e = await graphError(
      graph(emu, () => token)
        .api('/me/sendMail')
        .post(sampleMail()),
    );
    expect([e.statusCode, e.code, e.message]).toEqual([
      400,
      'BadRequest',
      '/me request is only valid with delegated authentication flow.',
    ]);
  });
});

describe('Graph token validation', () => {
  async function status(token: string): Promise<{ status: number; body: unknown; wwwAuthenticate: string | null }> {
    const clientRequestId = randomUUID();
    const res = await fetch(`${emu.graphBaseUrl}/users/${DEMO.sender.upn}/sendMail`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'client-request-id': clientRequestId },
      body: JSON.stringify(sampleMail()),
    });
    const body: unknown = await res.json();
    expect((body as { error: { innerError: Record<string, string> } }).error.innerError['client-request-id']).toBe(
      clientRequestId,
    );
    return { status: res.status, body, wwwAuthenticate: res.headers.get('www-authenticate') };
  }

  it('answers 401 InvalidAuthenticationToken for empty, foreign, wrong-audience and expired tokens', async () => {
    const empty = await status('');
    expect(empty.status).toBe(401);
    expect(empty.wwwAuthenticate).toContain('client_id="00000003-0000-0000-c000-000000000000"');
    expectGraphErrorBody(empty.body, { code: 'InvalidAuthenticationToken', message: 'Access token is empty.' });

    const { privateKey } = await generateKeyPair('RS256');
    const now = Math.floor(emu.now() / 1000);
    const base = {
      iss: `https://sts.windows.net/${DEMO.tenantId}/`,
      tid: DEMO.tenantId,
      idtyp: 'app',
      roles: ['Mail.Send'],
      appid: DEMO.broadApp.clientId,
      iat: now,
      nbf: now,
      exp: now + 3600,
    };
    const foreign = await new SignJWT({ ...base, aud: 'https://graph.microsoft.com' })
      .setProtectedHeader({ alg: 'RS256', kid: 'x' })
      .sign(privateKey);
    const bad = await status(foreign);
    expect(bad.status).toBe(401);
    expectGraphErrorBody(bad.body, { code: 'InvalidAuthenticationToken', message: 'Access token validation failure.' });

    const good = await appToken(DEMO.broadApp);
    emu.advanceClock(2 * 60 * 60 * 1000);
    try {
      const expired = await status(good);
      expect(expired.status).toBe(401);
      expectGraphErrorBody(expired.body, {
        code: 'InvalidAuthenticationToken',
        message: 'Lifetime validation failed, the token is expired.',
      });
    } finally {
      emu.advanceClock(-2 * 60 * 60 * 1000);
    }
  });
});

describe('Graph users, faults and batching', () => {
  it('refuses GET /users/{id} without User.Read.All (Authorization_RequestDenied) and answers it with', async () => {
    const denied = await graphError(
      graph(emu, await appToken(DEMO.confidentialApp))
        .api(`/users/${DEMO.sender.upn}`)
        .get(),
    );
    expect([denied.statusCode, denied.code, denied.message]).toEqual([
      403,
      'Authorization_RequestDenied',
      'Insufficient privileges to complete the operation.',
    ]);
    const user = (await graph(emu, await appToken(DEMO.broadApp))
      .api(`/users/${DEMO.sender.upn}`)
      .get()) as Record<string, unknown>;
    expect(user).toMatchObject({
      id: DEMO.sender.id,
      userPrincipalName: DEMO.sender.upn,
      displayName: DEMO.sender.displayName,
      mail: DEMO.sender.upn,
    });
    expect(user['@odata.context']).toBe('https://graph.microsoft.com/v1.0/$metadata#users/$entity');
    const missing = await graphError(
      graph(emu, await appToken(DEMO.broadApp))
        .api('/users/nobody@contoso.onmicrosoft.com')
        .get(),
    );
    expect([missing.statusCode, missing.code]).toEqual([404, 'Request_ResourceNotFound']);
  });

  it('retries after 429 + Retry-After (1 s) with the Graph client retry handler', async () => {
    const token = await appToken(DEMO.confidentialApp);
    emu.clearRequests();
    emu.setFault({
      match: { host: 'graph', method: 'POST', path: '/sendMail' },
      action: { type: 'status', status: 429, retryAfterSeconds: 1 },
      times: 1,
    });
    await graph(emu, () => token)
      .api(`/users/${DEMO.sender.upn}/sendMail`)
      .post(sampleMail());
    const posts = emu.requests().filter((r) => r.path.endsWith('/sendMail'));
    expect(posts.map((p) => p.status)).toEqual([429, 202]);
    expect(posts[0]?.faults).toEqual(['status:429']);
    const gap = (posts[1]?.startedAt ?? 0) - (posts[0]?.endedAt ?? 0);
    expect(gap).toBeGreaterThanOrEqual(950);
    expect(gap).toBeLessThan(3000);
  });

  it('gives up after the retry handler’s attempts with a Graph-shaped 503', async () => {
    const token = await appToken(DEMO.confidentialApp);
    emu.setFault({ match: { host: 'graph', path: '/sendMail' }, action: { type: 'status', status: 503, retryAfterSeconds: 0 } });
    const e = await graphError(
      graph(emu, () => token)
        .api(`/users/${DEMO.sender.upn}/sendMail`)
        .post(sampleMail()),
    );
    expect([e.statusCode, e.code]).toEqual([503, 'serviceNotAvailable']);
  });

  it('drops and delays connections', async () => {
    const token = await appToken(DEMO.confidentialApp);
    emu.setFault({ match: { host: 'graph', path: '/users/' }, action: { type: 'drop' }, times: 1 });
    const dropped = await fetch(`${emu.graphBaseUrl}/users/${DEMO.sender.upn}`, {
      headers: { Authorization: `Bearer ${token}` },
    }).catch((e: unknown) => e);
    expect(dropped).toBeInstanceOf(TypeError);
    emu.setFault({ match: { host: 'graph', path: '/users/' }, action: { type: 'latency', ms: 300 }, times: 1 });
    const t0 = Date.now();
    const res = await fetch(`${emu.graphBaseUrl}/users/${DEMO.sender.upn}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(403);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
  });

  it('dispatches JSON batches (sendMail + GET, dependsOn, per-item faults)', async () => {
    const token = await appToken(DEMO.broadApp);
    emu.clearSentMessages();
    emu.setFault({
      match: { host: 'graph', path: `/v1.0/users/${DEMO.otherMailbox.upn}/sendMail` },
      action: { type: 'status', status: 429, retryAfterSeconds: 7 },
      times: 1,
    });
    const mail = (n: string): RequestInit => ({
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(sampleMail(`${n}@example.com`)),
    });
    const content = new BatchRequestContent([
      { id: '1', request: new Request(`${emu.graphBaseUrl}/users/${DEMO.sender.upn}/sendMail`, mail('a')) },
      { id: '2', request: new Request(`${emu.graphBaseUrl}/users/${DEMO.otherMailbox.upn}/sendMail`, mail('b')) },
      { id: '3', request: new Request(`${emu.graphBaseUrl}/users/${DEMO.sender.upn}`, { method: 'GET' }) },
    ]);
    const raw = (await graph(emu, () => token)
      .api('/$batch')
      .post(await content.getContent())) as unknown;
    const batch = new BatchResponseContent(raw as { responses: [] });
    expect(batch.getResponseById('1').status).toBe(202);
    expect(batch.getResponseById('2').status).toBe(429);
    expect(batch.getResponseById('2').headers.get('Retry-After')).toBe('7');
    expect(batch.getResponseById('3').status).toBe(200);
    expect(((await batch.getResponseById('3').json()) as { id: string }).id).toBe(DEMO.sender.id);
    expect(emu.sentMessages().map((m) => [m.toRecipients[0]?.address, m.viaBatch])).toEqual([['a@example.com', true]]);

    // A failed dependency yields 424; items sent as plain JSON with relative URLs work too.
    const res = await fetch(`${emu.graphBaseUrl}/$batch`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        requests: [
          { id: 'a', method: 'GET', url: '/users/nobody@contoso.onmicrosoft.com' },
          { id: 'b', method: 'GET', url: `/users/${DEMO.sender.upn}`, dependsOn: ['a'] },
        ],
      }),
    });
    const plain = (await res.json()) as { responses: { id: string; status: number; body?: unknown }[] };
    expect(plain.responses.map((r) => [r.id, r.status])).toEqual([
      ['a', 404],
      ['b', 424],
    ]);
    expect(
      emu
        .requests()
        .filter((r) => r.path === '/v1.0/$batch')
        .at(-1)?.status,
    ).toBe(200);
  });

  it('rejects batches over 20 requests', async () => {
    const token = await appToken(DEMO.broadApp);
    const requests = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: `/users/${DEMO.sender.upn}` }));
    const res = await fetch(`${emu.graphBaseUrl}/$batch`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ requests }),
    });
    expect(res.status).toBe(400);
  });
});

import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { CA_CERT_FILE, CA_DIR_ENV, createCa, ensureRunCa, issueLeaf, writeCa } from './ca';
import { emulatedCloud, SECOND_CLOUD } from './clouds';
import { DEMO, demoWorldData } from './demo-world';
import { createEntraRouter } from './entra-routes';
import { AAD, aadErrorBody } from './errors';
import { graphErrorBody } from './graph-errors';
import { FaultTable, type FaultRule } from './faults';
import { createFederationRouter, FederationBridge } from './federation-routes';
import type { StoredMessage } from './graph-mailbox';
import { createGraphRouter, graphFaultSpec, type SentMessage } from './graph-routes';
import { MailboxThrottle, type MailboxThrottling } from './graph-throttle';
import { json, startHttpsHost, type FaultReplyFactory, type HttpsHost, type RequestLogEntry } from './server';
import { createSigningKey, GrantStore } from './tokens';
import { Clock, normalizeWorldData, World, type KeyCredential, type WorldData } from './world';

export { DEMO, demoWorldData } from './demo-world';
export { SECOND_CLOUD } from './clouds';
export { ensureRunCa, issueLeaf, CA_DIR_ENV } from './ca';
export type { RunCa, LeafCert } from './ca';
export { World, Clock, normalizeWorldData, loadWorldJson } from './world';
export type * from './world';
export type { FaultRule, FaultAction, FaultMatch, HostKind } from './faults';
export type { SentMessage, Recipient } from './graph-routes';
export type { StoredMessage, StoredAttachment } from './graph-mailbox';
export type { MailboxThrottling } from './graph-throttle';
export { REALISTIC_THROTTLING } from './graph-throttle';
export type { RequestLogEntry } from './server';

export interface EmulatorConfig {
  /** The world to serve: a World, plain data (e.g. parsed JSON) or omitted for the demo world. */
  world?: World | Partial<WorldData>;
  /** Fixed ports (0 = any free port, the default). */
  loginPort?: number;
  graphPort?: number;
  federationPort?: number;
  /** Freeze the emulator clock at this instant (ISO string or ms); default: real time. */
  fixedTime?: string | number;
  /** Use this CA instead of ABSENDER_EMULATOR_CA_DIR / a fresh one. */
  ca?: { caCertPem: string; caKeyPem: string };
  /** Offer HTTP/2 on the login and Graph hosts (as Microsoft's do); default HTTP/1.1 only. */
  http2?: boolean;
}

export interface MsalAuthorityOptions {
  authority: string;
  knownAuthorities: string[];
  /** JSON string for MSAL's auth.authorityMetadata, so MSAL makes no discovery request. */
  authorityMetadata: string;
}

export interface Emulator {
  /** https://localhost:PORT — the Entra ID host (use `${authorityHost}/${tenant}` as MSAL authority). */
  authorityHost: string;
  /** https://localhost:PORT2/v1.0 — Graph; the Graph client's baseUrl is graphRoot with defaultVersion v1.0. */
  graphBaseUrl: string;
  /** https://localhost:PORT2 — for Client.initWithMiddleware({ baseUrl: graphRoot, customHosts: new Set(['localhost']) }). */
  graphRoot: string;
  /**
   * https://localhost:PORT3 — the federated domains' IdP (AD FS-like), a host of its own: the sign-in window
   * must be told to allow its host[:port] (Settings › extra sign-in hosts).
   */
  federationHost: string;
  /**
   * The national cloud the emulator serves besides the global one (US Government, GCC High): a login and a
   * Graph host of its own that know only the tenants with `cloud: 'usgov'`, as Entra's cloud instances do.
   */
  secondCloud: { id: typeof SECOND_CLOUD; authorityHost: string; graphRoot: string; graphResource: string };
  /** Hostname for the Graph client's customHosts (without port). */
  graphHostname: string;
  caCertPath: string;
  caCertPem: string;
  /** base64 SHA-256 of the leaf certificate's SPKI (Chromium --ignore-certificate-errors-spki-list). */
  spkiFingerprint: string;
  world: World;
  sentMessages(): SentMessage[];
  /** Items in the mailboxes (drafts and Sent Items), optionally of one mailbox (id or UPN). */
  mailboxItems(mailbox?: string): StoredMessage[];
  /**
   * Outlook's per-mailbox limits: 'realistic' = 30 messages/min per mailbox, 4 concurrent requests and 150 MB
   * upload per 5 min per app and mailbox; 'off' (the default) or single settings. Resets the counters.
   */
  setMailboxThrottling(settings: Partial<MailboxThrottling> | 'realistic' | 'off'): void;
  mailboxThrottling(): MailboxThrottling;
  requests(): RequestLogEntry[];
  clearRequests(): void;
  clearSentMessages(): void;
  setFault(rule: FaultRule): void;
  clearFaults(): void;
  advanceClock(ms: number): void;
  /** As an admin's "Upload certificate" on the app: registers the public certificate (PEM) as a keyCredential. */
  registerCertificate(clientId: string, pem: string, displayName?: string): KeyCredential;
  /** Emulator time (ms since epoch). */
  now(): number;
  /** authority/knownAuthorities/authorityMetadata for MSAL (option B of the reference: no discovery). */
  msalAuthority(tenant?: string): MsalAuthorityOptions;
  close(): Promise<void>;
}

function toWorld(config: EmulatorConfig): World {
  const fixed =
    config.fixedTime === undefined
      ? undefined
      : typeof config.fixedTime === 'number'
        ? config.fixedTime
        : Date.parse(config.fixedTime);
  const clock = new Clock(fixed);
  if (config.world instanceof World) {
    if (fixed !== undefined) config.world.clock.setFixed(fixed);
    return config.world;
  }
  const data = config.world === undefined ? demoWorldData() : normalizeWorldData(config.world);
  return new World(data, clock);
}

export async function startEmulator(config: EmulatorConfig = {}): Promise<Emulator> {
  const world = toWorld(config);
  // CA: the one given, else the run CA (ABSENDER_EMULATOR_CA_DIR, trusted via NODE_EXTRA_CA_CERTS), else a fresh one.
  let ca: { caCertPem: string; caKeyPem: string; caCertPath: string };
  let ownedCaDir: string | undefined;
  if (config.ca === undefined && process.env[CA_DIR_ENV] !== undefined) {
    ca = ensureRunCa();
  } else {
    const material = config.ca ?? createCa();
    ownedCaDir = writeCa(material);
    ca = { ...material, caCertPath: join(ownedCaDir, CA_CERT_FILE) };
  }
  const leaf = issueLeaf(ca);
  const key = await createSigningKey();
  const grants = new GrantStore();
  const faults = new FaultTable();
  const log: RequestLogEntry[] = [];
  const sink: SentMessage[] = [];
  const store: StoredMessage[] = [];
  const throttle = new MailboxThrottle(() => world.clock.now());
  let seq = 0;
  const nextSeq = (): number => ++seq;

  const loginFaultReply: FaultReplyFactory = (ctx, action) => {
    const headers: Record<string, string> = { 'x-ms-request-id': ctx.requestId, ...action.headers };
    if (action.retryAfterSeconds !== undefined) headers['Retry-After'] = String(action.retryAfterSeconds);
    if (action.body !== undefined) {
      return typeof action.body === 'string'
        ? { status: action.status, headers: { 'Content-Type': 'text/html; charset=utf-8', ...headers }, body: action.body }
        : json(action.status, action.body, headers);
    }
    const spec = action.status === 429 ? AAD.throttled() : AAD.transient(action.status);
    const t = { traceId: ctx.requestId, correlationId: ctx.clientRequestId ?? randomUUID(), now: world.clock.now() };
    return json(action.status, aadErrorBody({ ...spec, status: action.status }, t), headers);
  };

  const graphRouter = createGraphRouter({
    world,
    key,
    sink,
    faults,
    faultSpec: graphFaultSpec,
    throttle,
    store,
  });
  const graphFaultReply: FaultReplyFactory = (ctx, action) => {
    const headers: Record<string, string> = {
      'request-id': ctx.requestId,
      'client-request-id': ctx.clientRequestId ?? ctx.requestId,
      ...action.headers,
    };
    if (action.retryAfterSeconds !== undefined) headers['Retry-After'] = String(action.retryAfterSeconds);
    if (action.body !== undefined) {
      return typeof action.body === 'string'
        ? { status: action.status, headers: { 'Content-Type': 'text/html; charset=utf-8', ...headers }, body: action.body }
        : json(action.status, action.body, headers);
    }
    const t = { requestId: ctx.requestId, clientRequestId: ctx.clientRequestId ?? ctx.requestId, now: world.clock.now() };
    return json(action.status, graphErrorBody(graphFaultSpec(action.status), t), headers);
  };

  const common = {
    key: leaf.keyPem,
    cert: leaf.certPem,
    hostname: 'localhost',
    faults,
    log,
    nextSeq,
    http2: config.http2 === true,
  };
  const federation = new FederationBridge();
  const login = await startHttpsHost({
    ...common,
    kind: 'login',
    port: config.loginPort ?? 0,
    router: createEntraRouter({ world, grants, key, federation }),
    faultReply: loginFaultReply,
  });
  let graph: HttpsHost;
  let federationHost: HttpsHost;
  try {
    graph = await startHttpsHost({
      ...common,
      kind: 'graph',
      port: config.graphPort ?? 0,
      router: graphRouter,
      faultReply: graphFaultReply,
    });
  } catch (e) {
    await login.close();
    throw e;
  }
  try {
    federationHost = await startHttpsHost({
      ...common,
      kind: 'federation',
      port: config.federationPort ?? 0,
      router: createFederationRouter(world, federation),
      faultReply: loginFaultReply,
    });
  } catch (e) {
    await Promise.all([login.close(), graph.close()]);
    throw e;
  }
  // The second cloud: same world and key, its own hosts, tenants and token audience.
  const second = emulatedCloud(SECOND_CLOUD);
  const hosts2: HttpsHost[] = [];
  try {
    hosts2.push(
      await startHttpsHost({
        ...common,
        kind: 'login',
        port: 0,
        router: createEntraRouter({ world, grants, key, cloud: SECOND_CLOUD }),
        faultReply: loginFaultReply,
      }),
    );
    hosts2.push(
      await startHttpsHost({
        ...common,
        kind: 'graph',
        port: 0,
        router: createGraphRouter({
          world,
          key,
          sink,
          faults,
          faultSpec: graphFaultSpec,
          throttle,
          store,
          graphResource: second.graphResource,
        }),
        faultReply: graphFaultReply,
      }),
    );
  } catch (e) {
    await Promise.all([login.close(), graph.close(), federationHost.close(), ...hosts2.map((h) => h.close())]);
    throw e;
  }
  const [login2, graph2] = hosts2 as [HttpsHost, HttpsHost];
  federation.loginOrigin = login.origin;
  federation.federationOrigin = federationHost.origin;

  const msalAuthority = (tenant: string = DEMO.tenantId): MsalAuthorityOptions => {
    const t = world.tenant(tenant);
    const seg = t === undefined ? tenant : t.id; // domain tenants: Entra's metadata carries the GUID
    const issuerTenant = t === undefined ? '{tenantid}' : t.id;
    return {
      authority: `${login.origin}/${tenant}`,
      knownAuthorities: [new URL(login.origin).host],
      authorityMetadata: JSON.stringify({
        authorization_endpoint: `${login.origin}/${seg}/oauth2/v2.0/authorize`,
        token_endpoint: `${login.origin}/${seg}/oauth2/v2.0/token`,
        issuer: `${login.origin}/${issuerTenant}/v2.0`,
        jwks_uri: `${login.origin}/${seg}/discovery/v2.0/keys`,
        end_session_endpoint: `${login.origin}/${seg}/oauth2/v2.0/logout`,
      }),
    };
  };

  return {
    authorityHost: login.origin,
    graphBaseUrl: `${graph.origin}/v1.0`,
    graphRoot: graph.origin,
    federationHost: federationHost.origin,
    secondCloud: {
      id: SECOND_CLOUD,
      authorityHost: login2.origin,
      graphRoot: graph2.origin,
      graphResource: second.graphResource,
    },
    graphHostname: 'localhost',
    caCertPath: ca.caCertPath,
    caCertPem: ca.caCertPem,
    spkiFingerprint: leaf.spkiFingerprint,
    world,
    sentMessages: () => sink.map((m) => structuredClone(m)),
    mailboxItems: (mailbox) => {
      const id = mailbox === undefined ? undefined : world.user(mailbox)?.id;
      return store.filter((m) => mailbox === undefined || m.mailboxId === id).map((m) => structuredClone(m));
    },
    setMailboxThrottling: (settings) => {
      throttle.configure(settings);
      throttle.reset();
    },
    mailboxThrottling: () => ({ ...throttle.settings }),
    requests: () => log.map((e) => ({ ...e, faults: [...e.faults] })),
    clearRequests: () => {
      log.length = 0;
    },
    clearSentMessages: () => {
      sink.length = 0;
    },
    setFault: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    advanceClock: (ms) => world.clock.advance(ms),
    registerCertificate: (clientId, pem, displayName) => world.registerCertificate(clientId, pem, displayName),
    now: () => world.clock.now(),
    msalAuthority,
    close: async () => {
      await Promise.all([login.close(), graph.close(), federationHost.close(), login2.close(), graph2.close()]);
      if (ownedCaDir !== undefined) rmSync(ownedCaDir, { recursive: true, force: true });
    },
  };
}

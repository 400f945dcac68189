import { createHash } from 'node:crypto';
import { isIP, type AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { SMTPServer, type SMTPServerAuthentication, type SMTPServerSession } from 'smtp-server';
import { SMTPConnection, type SMTPConnectionOptions } from 'smtp-server/lib/smtp-connection.js';
import { isLoopback, parseAllowlist, type ClientAllowlist } from './client-allowlist';
import { DEFAULT_LOCKOUT, LoginLockout, type LockoutPolicy } from './login-lockout';
import type { RelayCredentials } from './relay-credentials';
import { newQueueId, type RelayEnvelope, type RelayQueue } from './relay-queue';
import type { RelayTls } from './relay-tls';

/** 150 MB: what Exchange Online accepts for a message, so the relay refuses nothing Microsoft would take. */
export const RELAY_MAX_SIZE = 150 * 1024 * 1024;

export interface RelayListenOptions {
  host: string;
  port: number;
  /** Required for any address but loopback: the clients that may connect (IPs/CIDRs). */
  allowClients: readonly string[];
  maxConnections: number;
  maxRecipients: number;
  /** Longest command line (RFC 5321 asks for 512; ERPs put long addresses in MAIL FROM). */
  maxCommandLength: number;
  /** Commands before a login before the connection is dropped. */
  maxUnauthenticatedCommands: number;
  idleTimeoutMs: number;
  lockout: LockoutPolicy;
  /**
   * Clients that send without a login, each for one profile (as Exchange's IP-restricted relay connector): for
   * ERPs and load tools (smtp-source) that cannot AUTH. Empty by default; MAIL FROM is checked as for a login.
   */
  trustedClients: ReadonlyArray<{ client: string; profileId: string }>;
}

export const DEFAULT_LISTEN: RelayListenOptions = {
  host: '127.0.0.1',
  port: 2525,
  allowClients: [],
  maxConnections: 32,
  maxRecipients: 500,
  maxCommandLength: 4096,
  maxUnauthenticatedCommands: 10,
  idleTimeoutMs: 60_000,
  lockout: DEFAULT_LOCKOUT,
  trustedClients: [],
};

/** The profile a login belongs to, as the relay needs it: its sender and the aliases the admin allowed. */
export interface RelayProfile {
  id: string;
  name: string;
  senderAddress: string;
  aliases: readonly string[];
  /** The translator's text when the profile cannot send at all (no secret …): MAIL FROM gets a 451 naming it. */
  unusable: string | null;
}

export interface RelayServerDeps {
  queue: RelayQueue;
  credentials: Pick<RelayCredentials, 'verify'>;
  profile: (id: string) => Promise<RelayProfile | null>;
  tls: RelayTls;
  now: () => number;
  /** Told after each commit (the worker picks the message up). */
  accepted: (envelope: RelayEnvelope) => void;
  log: (event: string, data: Record<string, string | number | boolean>) => void;
}

/** What the relay tells about itself (for `relay` output, the panel and the tests). */
export interface RelayListening {
  address: string;
  port: number;
  fingerprint: string;
  close(): Promise<void>;
  counts(): { connections: number; accepted: number; refusedLogins: number };
  /** DATA end → 250 in ms for the last 10 000 messages (the panel's and the bench's p99). */
  ackLatencies(): readonly number[];
  /** Client connections open now (the worker delivers one at a time while there are any). */
  openSessions(): number;
}

const smtpError = (code: number, text: string): Error & { responseCode: number } =>
  Object.assign(new Error(text), { responseCode: code });

// Addresses go into a Bcc header and a Graph URL: nothing that could end a header or a list.
const SAFE_ADDRESS = /^[^\s<>()",;:\\[\]@]+@[A-Za-z0-9.-]+\.[A-Za-z0-9-]{2,}$/u;

/** The user name of a failed login for the log: an address as is, anything else (maybe a password) as a short hash. */
export function loggableUser(username: string): string {
  if (username.length <= 254 && SAFE_ADDRESS.test(username)) return username;
  return `sha256:${createHash('sha256').update(username, 'utf8').digest('hex').slice(0, 8)}`;
}

/** Checks the options before anything listens: a non-loopback bind needs an allowlist. */
export function checkListenOptions(options: RelayListenOptions): ClientAllowlist | null {
  const allowlist = options.allowClients.length > 0 ? parseAllowlist(options.allowClients) : null;
  const loopbackBind = options.host === 'localhost' || (isIP(options.host) !== 0 && isLoopback(options.host));
  if (!loopbackBind && allowlist === null) throw new RelayConfigError('allowlist-required');
  return allowlist;
}

export class RelayConfigError extends Error {
  constructor(readonly reason: 'allowlist-required' | 'bad-allowlist' | 'listen-failed') {
    super(reason);
    this.name = 'RelayConfigError';
  }
}

/**
 * smtp-server holds each greeting back 100 ms to catch early talkers, a spam check for public MX hosts; the relay
 * serves only allowlisted clients that connect once per message, where that pause alone capped a session at ~9/s.
 */
class PromptConnection extends SMTPConnection {
  override init(): void {
    // SMTPConnection.init (smtp-server 3.21) without the pause: the connection limit, then greet at once.
    this._setListeners(() => {
      const { maxClients } = this._server.options;
      if (maxClients !== undefined && maxClients > 0 && this._server.connections.size > maxClients)
        return this.send(421, `${this.name} Too many connected clients, try again in a moment`, false);
      this.connectionReady();
    });
  }
}

/** SMTPServer.connect with the prompt connection (same wiring as smtp-server's own). */
class PromptSMTPServer extends SMTPServer {
  override connect(socket: Socket | TLSSocket, socketOptions?: SMTPConnectionOptions | null): void {
    const connection = new PromptConnection(this, socket, socketOptions);
    this.connections.add(connection);
    connection.on('error', (err: Error) => this._onError(err));
    connection.on('connect', (data: Parameters<SMTPServer['_onClientConnect']>[0]) => this._onClientConnect(data));
    connection.init();
  }
}

/** The SMTP listener: logs in per profile, checks the sender, and acknowledges only what is on disk. */
export async function startRelayServer(options: RelayListenOptions, deps: RelayServerDeps): Promise<RelayListening> {
  const allowlist = checkListenOptions(options);
  const lockout = new LoginLockout(options.lockout, deps.now);
  const trusted = options.trustedClients.map((t) => ({ list: parseAllowlist([t.client]), profileId: t.profileId }));
  let connections = 0;
  const open = new Set<string>();
  let accepted = 0;
  let refusedLogins = 0;
  const latencies: number[] = [];
  /** Writers of DATA under way (not yet committing) and commits under way: close() settles both. */
  const uncommitted = new Set<ReturnType<RelayQueue['open']>>();
  const committing = new Set<Promise<unknown>>();
  const userOf = (session: SMTPServerSession): string | null =>
    typeof session.user === 'string'
      ? session.user
      : (trusted.find((t) => t.list.allows(session.remoteAddress))?.profileId ?? null);

  const server = new PromptSMTPServer({
    name: 'absender-relay',
    banner: 'Absender relay (Microsoft Graph)',
    key: deps.tls.key,
    cert: deps.tls.cert,
    secure: false,
    authMethods: ['PLAIN', 'LOGIN'],
    // Required all the same: MAIL FROM answers 530 unless logged in or a trusted client (smtp-server's own check
    // would refuse the trusted clients too).
    authOptional: trusted.length > 0,
    // Checked per connection in onAuth: loopback may log in without TLS, everyone else only after STARTTLS.
    allowInsecureAuth: true,
    size: RELAY_MAX_SIZE,
    // Our refusals carry their own RFC 3463 codes; smtp-server's would be prepended as a second one.
    hideENHANCEDSTATUSCODES: true,
    hideDSN: true,
    maxClients: options.maxConnections,
    maxRecipients: options.maxRecipients,
    maxCommandLength: options.maxCommandLength,
    maxAllowedUnauthenticatedCommands: options.maxUnauthenticatedCommands,
    socketTimeout: options.idleTimeoutMs,
    closeTimeout: 5_000,
    disableReverseLookup: true,
    useXClient: false,
    useXForward: false,
    logger: false,
    onConnect(session, callback) {
      const remote = session.remoteAddress;
      // With an allowlist only the listed clients (loopback too must be listed); without one, only loopback.
      if (allowlist !== null ? !allowlist.allows(remote) : !isLoopback(remote)) {
        deps.log('relay.refused-client', { client: remote });
        callback(smtpError(554, '5.7.1 This client address may not use the relay'));
        return;
      }
      connections += 1;
      open.add(session.id);
      callback();
    },
    onClose(session) {
      open.delete(session.id);
    },
    onAuth(auth: SMTPServerAuthentication, session, callback) {
      const remote = session.remoteAddress;
      if (!session.secure && !isLoopback(remote)) {
        callback(smtpError(538, '5.7.11 Encryption required: use STARTTLS before AUTH'));
        return;
      }
      const wait = lockout.lockedFor(remote);
      if (wait > 0) {
        refusedLogins += 1;
        callback(smtpError(454, `4.7.0 Too many failed logins: try again in ${Math.ceil(wait / 1000)} s`));
        return;
      }
      void deps.credentials
        .verify(auth.username ?? '', auth.password ?? '')
        .then((profileId) => {
          if (profileId === null) {
            lockout.fail(remote);
            refusedLogins += 1;
            // Never the password: ERPs sometimes put it into the user field, so only an address is logged as is.
            deps.log('relay.login-failed', { client: remote, user: loggableUser(auth.username ?? '') });
            callback(smtpError(535, '5.7.8 Authentication credentials invalid'));
            return;
          }
          lockout.succeed(remote);
          callback(null, { user: profileId });
        })
        .catch(() => callback(smtpError(454, '4.7.0 Temporary authentication failure')));
    },
    onMailFrom(address, session, callback) {
      const profileId = userOf(session);
      if (profileId === null) return callback(smtpError(530, '5.7.0 Authentication required'));
      void deps
        .profile(profileId)
        .then((profile) => {
          if (profile === null) return callback(smtpError(451, '4.3.0 The sender profile of this login no longer exists'));
          const from = address.address.toLowerCase();
          const allowed = [profile.senderAddress, ...profile.aliases].map((a) => a.toLowerCase());
          if (from !== '' && !allowed.includes(from))
            return callback(smtpError(550, `5.7.1 Sender ${from.slice(0, 200)} is not the sender of this login`));
          if (from !== '' && !SAFE_ADDRESS.test(from)) return callback(smtpError(553, '5.1.7 Sender address not accepted'));
          if (profile.unusable !== null)
            return callback(smtpError(451, `4.3.0 Profile "${profile.name}" cannot send: ${profile.unusable}`));
          callback();
        })
        .catch(() => callback(smtpError(451, '4.3.0 The sender profiles could not be read')));
    },
    onRcptTo(address, _session, callback) {
      if (!SAFE_ADDRESS.test(address.address)) return callback(smtpError(553, '5.1.3 Recipient address not accepted'));
      callback();
    },
    onData(stream: Readable & { sizeExceeded?: boolean }, session, callback) {
      const profileId = userOf(session);
      const mailFrom = session.envelope.mailFrom;
      if (profileId === null || mailFrom === false) {
        stream.resume();
        stream.once('end', () => callback(smtpError(503, '5.5.1 Bad sequence of commands')));
        return;
      }
      const id = newQueueId(deps.now());
      let writer: ReturnType<RelayQueue['open']> | null;
      try {
        writer = deps.queue.open({
          id,
          profileId,
          mailFrom: mailFrom.address,
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          acceptedAt: new Date(deps.now()).toISOString(),
          clientAddress: session.remoteAddress,
          messageId: '',
          addedMessageId: false,
        });
      } catch {
        writer = null;
      }
      if (writer !== null) uncommitted.add(writer);
      const drop = (): void => {
        if (writer === null) return;
        uncommitted.delete(writer);
        void writer.abort();
      };
      const head = new HeaderScan();
      let failed = writer === null;
      stream.on('data', (chunk: Buffer) => {
        if (failed || writer === null) return;
        head.push(chunk);
        try {
          // Off the event loop the writes queue up: past the high-water mark the client waits (TCP backpressure).
          if (!writer.write(chunk)) {
            stream.pause();
            void writer.drained().then(() => stream.resume());
          }
        } catch {
          failed = true;
          drop();
        }
      });
      let committed = false;
      // A connection lost mid-DATA destroys the stream ('error' or only 'close'): the temp file goes, no 250.
      stream.once('error', drop);
      stream.once('close', () => {
        if (!committed) drop();
      });
      stream.once('end', () => {
        const endedAt = performance.now();
        if (writer === null || failed) return callback(smtpError(452, '4.3.1 The queue could not be written'));
        if (stream.sizeExceeded === true) {
          drop();
          return callback(smtpError(552, '5.3.4 Message too big'));
        }
        const found = head.messageId();
        const subject = head.subject();
        const domain = /@([^@]+)$/.exec(mailFrom.address)?.[1] ?? 'absender.invalid';
        // From here the commit runs to its end even if the client goes: at worst it sends again (a duplicate
        // of a message that never got a 250), never a 250 for a message that is not on disk.
        committed = true;
        const open = writer;
        uncommitted.delete(open);
        const commit = open
          .commit(
            found === null
              ? { messageId: `<relay-${id}@${domain}>`, addedMessageId: true, ...subject }
              : { messageId: found, addedMessageId: false, ...subject },
          )
          .then((envelope) => {
            accepted += 1;
            deps.accepted(envelope);
            latencies.push(performance.now() - endedAt);
            if (latencies.length > 10_000) latencies.shift();
            callback(null, `2.0.0 Queued as ${id}`);
          })
          .catch(() => {
            void open.abort();
            callback(smtpError(452, '4.3.1 The queue could not be written'));
          });
        committing.add(commit);
        void commit.finally(() => committing.delete(commit));
      });
    },
  });
  server.on('error', (error) => deps.log('relay.error', { reason: error.message.slice(0, 200) }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.server.address() as AddressInfo;
  return {
    address: address.address,
    port: address.port,
    fingerprint: deps.tls.fingerprint,
    counts: () => ({ connections, accepted, refusedLogins }),
    ackLatencies: () => latencies,
    openSessions: () => open.size,
    // Connections end first (421 at the close timeout); then a message cut off mid-DATA loses its temp file and a
    // commit under way finishes, so nothing half-written outlives close() and no 250 is lost on the way out.
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...uncommitted].map((w) => w.abort()));
      uncommitted.clear();
      await Promise.allSettled([...committing]);
    },
  };
}

/** Collects the header block (up to 256 KB) to find the Message-ID without parsing the whole message. */
class HeaderScan {
  private readonly parts: Buffer[] = [];
  private length = 0;
  private done = false;
  push(chunk: Buffer): void {
    if (this.done) return;
    this.parts.push(chunk);
    this.length += chunk.length;
    const all = Buffer.concat(this.parts);
    if (all.includes('\r\n\r\n') || all.includes('\n\n') || this.length > 256 * 1024) this.done = true;
  }
  private unfolded: string | undefined;
  /** Read once per message (Message-ID and Subject both need it), after the last push. */
  private head(): string {
    if (this.unfolded !== undefined) return this.unfolded;
    const text = Buffer.concat(this.parts).toString('latin1');
    const end = text.search(/\r?\n\r?\n/);
    this.unfolded = (end < 0 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
    return this.unfolded;
  }
  messageId(): string | null {
    const match = /^message-id:\s*(<[^<>\s]+>)\s*$/im.exec(this.head());
    return match?.[1] ?? null;
  }
  /** For the panel's list only (never for sending): the raw header value, bounded. */
  subject(): { subject: string } | Record<string, never> {
    const match = /^subject:[ \t]*(.*)$/im.exec(this.head());
    return match?.[1] === undefined ? {} : { subject: match[1].trim().slice(0, 998) };
  }
}

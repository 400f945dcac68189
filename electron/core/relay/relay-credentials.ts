import { randomBytes, scrypt, timingSafeEqual, type BinaryLike, type ScryptOptions } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { ensurePrivateDir, fsyncDir, nodeFsSeam, writeFileAtomic } from '../storage/fs-seam';

/** One profile's relay login: the user name is the sender address; only the scrypt hash is kept. */
export interface RelayCredential {
  profileId: string;
  user: string;
  salt: string;
  hash: string;
  createdAt: string;
  /** Further MAIL FROM addresses the admin allowed for this login (send-as in Exchange still decides). */
  aliases?: string[] | undefined;
}

/** credentials.json could not be read: its bytes were kept under `file` (in the relay folder), the logins are gone. */
export interface RelayLoginsDamage {
  file: string;
  at: string;
}

/** While the logins are damaged every AUTH is answered 454 4.7.0 (temporary): the ERP keeps its mail and retries. */
export class RelayLoginsDamagedError extends Error {
  constructor(readonly damage: RelayLoginsDamage) {
    super(`the relay logins could not be read (kept as ${damage.file})`);
    this.name = 'RelayLoginsDamagedError';
  }
}

const CredentialsFile = z.object({
  version: z.number().optional(),
  credentials: z.array(
    z.object({
      profileId: z.string(),
      user: z.string(),
      salt: z.string(),
      hash: z.string(),
      createdAt: z.string(),
      aliases: z.array(z.string()).optional(),
    }),
  ),
  damaged: z.object({ file: z.string(), at: z.string() }).optional(),
});

// OWASP's scrypt floor (N=2^17, r=8, p=1) costs ~128 MB per check: 2^15 keeps a login under ~50 ms on a small VM.
const SCRYPT: ScryptOptions = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_LENGTH = 32;

const scryptAsync = (password: BinaryLike, salt: BinaryLike): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LENGTH, SCRYPT, (error, key) => (error ? reject(error) : resolve(key))),
  );

/** `<data dir>/relay/credentials.json` (0600 in a 0700 directory), written temp + fsync + rename like the stores. */
export class RelayCredentials {
  private readonly dir: string;
  private readonly file: string;
  constructor(dataDir: string) {
    this.dir = join(dataDir, 'relay');
    this.file = join(this.dir, 'credentials.json');
  }

  list(): RelayCredential[] {
    return this.read().credentials;
  }

  /** For readers beside a running relay (`check`): the file as it is, never set aside or rewritten; damaged → none. */
  peek(): RelayCredential[] {
    if (!nodeFsSeam.existsSync(this.file)) return [];
    try {
      const parsed = CredentialsFile.safeParse(JSON.parse(nodeFsSeam.readFileSync(this.file).toString('utf8')));
      return parsed.success ? parsed.data.credentials : [];
    } catch {
      return [];
    }
  }

  /** Set when credentials.json was damaged and set aside; cleared by the next new password or revocation. */
  damage(): RelayLoginsDamage | null {
    return this.read().damaged ?? null;
  }

  /**
   * A half-written or damaged file must not break the panel or the relay: its bytes are copied to
   * `credentials.json.damaged-<time>`, and an empty list that remembers the damage takes its place.
   */
  private read(): z.infer<typeof CredentialsFile> {
    if (!nodeFsSeam.existsSync(this.file)) return { credentials: [] };
    const bytes = nodeFsSeam.readFileSync(this.file);
    try {
      const parsed = CredentialsFile.safeParse(JSON.parse(bytes.toString('utf8')));
      if (parsed.success) return parsed.data;
    } catch {
      // Not JSON (torn, or overwritten): set aside below like a schema failure.
    }
    const at = new Date();
    const file = `credentials.json.damaged-${at.toISOString().replace(/[:.]/g, '-')}`;
    writeFileAtomic(join(this.dir, file), bytes);
    const damaged = { file, at: at.toISOString() };
    this.save([], damaged);
    return { credentials: [], damaged };
  }

  /** A new password for the profile (replacing any older one); returned once, never stored or logged. */
  async issue(profileId: string, user: string, now: Date, aliases: readonly string[] = []): Promise<string> {
    const password = randomBytes(18).toString('base64url');
    const salt = randomBytes(16);
    const hash = await scryptAsync(password, salt);
    const others = this.list().filter((c) => c.profileId !== profileId);
    const entry: RelayCredential = {
      profileId,
      user: user.toLowerCase(),
      salt: salt.toString('base64'),
      hash: hash.toString('base64'),
      createdAt: now.toISOString(),
      aliases: aliases.map((a) => a.toLowerCase()),
    };
    this.save([...others, entry]);
    return password;
  }

  revoke(profileId: string): boolean {
    const all = this.list();
    const kept = all.filter((c) => c.profileId !== profileId);
    if (kept.length === all.length) return false;
    this.save(kept);
    return true;
  }

  /** The profile the login belongs to, or null; every candidate is hashed so timing does not tell which users exist. */
  async verify(user: string, password: string): Promise<string | null> {
    const wanted = user.trim().toLowerCase();
    const { credentials, damaged } = this.read();
    if (damaged !== undefined) throw new RelayLoginsDamagedError(damaged);
    const candidates = credentials.filter((c) => c.user === wanted);
    if (candidates.length === 0) {
      await scryptAsync(password, randomBytes(16));
      return null;
    }
    for (const c of candidates) {
      const hash = await scryptAsync(password, Buffer.from(c.salt, 'base64'));
      const stored = Buffer.from(c.hash, 'base64');
      if (stored.length === hash.length && timingSafeEqual(stored, hash)) return c.profileId;
    }
    return null;
  }

  private save(credentials: RelayCredential[], damaged?: RelayLoginsDamage): void {
    ensurePrivateDir(this.dir);
    writeFileAtomic(this.file, `${JSON.stringify({ version: 1, credentials, ...(damaged ? { damaged } : {}) }, null, 2)}\n`);
    fsyncDir(this.dir);
  }
}

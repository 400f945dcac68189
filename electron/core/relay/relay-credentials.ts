import { randomBytes, scrypt, timingSafeEqual, type BinaryLike, type ScryptOptions } from 'node:crypto';
import { join } from 'node:path';
import { ensurePrivateDir, nodeFsSeam, writeFileAtomic } from '../storage/fs-seam';

/** One profile's relay login: the user name is the sender address; only the scrypt hash is kept. */
export interface RelayCredential {
  profileId: string;
  user: string;
  salt: string;
  hash: string;
  createdAt: string;
  /** Further MAIL FROM addresses the admin allowed for this login (send-as in Exchange still decides). */
  aliases?: string[];
}

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
    if (!nodeFsSeam.existsSync(this.file)) return [];
    const parsed = JSON.parse(nodeFsSeam.readFileSync(this.file).toString('utf8')) as { credentials?: RelayCredential[] };
    return Array.isArray(parsed.credentials) ? parsed.credentials : [];
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
    const candidates = this.list().filter((c) => c.user === wanted);
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

  private save(credentials: RelayCredential[]): void {
    ensurePrivateDir(this.dir);
    writeFileAtomic(this.file, `${JSON.stringify({ version: 1, credentials }, null, 2)}\n`);
  }
}

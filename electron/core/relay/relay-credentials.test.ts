import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RelayCredentials, RelayLoginsDamagedError } from './relay-credentials';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'absender-relay-logins-'));
  mkdirSync(join(dataDir, 'relay'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const file = () => join(dataDir, 'relay', 'credentials.json');
const kept = () => readdirSync(join(dataDir, 'relay')).filter((f) => f.startsWith('credentials.json.damaged-'));

describe('RelayCredentials with a damaged file', () => {
  for (const [what, bytes] of [
    ['half-written', '{\n  "version": 1,\n  "credentials": [\n    { "profileId": "p1", "user": "a@b.c", "sa'],
    ['not the expected shape', '{"version":1,"credentials":[{"profileId":3}]}'],
    ['binary garbage', '\u0000\u0001\u00ff'],
  ] as const) {
    it(`${what}: copied aside byte for byte, an empty list instead, verify refuses as temporary, a new password clears it`, async () => {
      writeFileSync(file(), bytes);
      const credentials = new RelayCredentials(dataDir);
      expect(credentials.list()).toEqual([]);
      const damage = credentials.damage();
      expect(damage?.file).toMatch(/^credentials\.json\.damaged-\d{4}-\d\d-\d\dT/);
      expect(kept()).toEqual([damage?.file]);
      expect(readFileSync(join(dataDir, 'relay', damage?.file ?? ''), 'utf8')).toBe(bytes);
      // Read again (a restart): still remembered, not copied a second time.
      expect(new RelayCredentials(dataDir).damage()).toEqual(damage);
      expect(kept()).toHaveLength(1);
      await expect(credentials.verify('a@b.c', 'x')).rejects.toBeInstanceOf(RelayLoginsDamagedError);

      const password = await credentials.issue('p1', 'A@b.c', new Date('2026-12-01T10:00:00Z'));
      expect(credentials.damage()).toBeNull();
      expect(await credentials.verify('a@b.c', password)).toBe('p1');
      expect(JSON.parse(readFileSync(file(), 'utf8'))).not.toHaveProperty('damaged');
    });
  }

  it('a good file is read as it is and never copied', async () => {
    const credentials = new RelayCredentials(dataDir);
    await credentials.issue('p1', 'a@b.c', new Date(), ['x@b.c']);
    const before = readFileSync(file(), 'utf8');
    expect(credentials.list().map((c) => [c.profileId, c.aliases])).toEqual([['p1', ['x@b.c']]]);
    expect(credentials.damage()).toBeNull();
    expect(readFileSync(file(), 'utf8')).toBe(before);
    expect(kept()).toEqual([]);
  });

  it('peek (for `check` beside a running relay) reads a damaged file without setting it aside or rewriting it', async () => {
    const credentials = new RelayCredentials(dataDir);
    await credentials.issue('p1', 'a@b.c', new Date());
    expect(credentials.peek().map((c) => c.profileId)).toEqual(['p1']);
    const torn = '{"version":1,"credentials":[{"profileId":"p1","us';
    writeFileSync(file(), torn);
    expect(new RelayCredentials(dataDir).peek()).toEqual([]);
    expect(readFileSync(file(), 'utf8')).toBe(torn);
    expect(kept()).toEqual([]);
  });
});

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import type { ProfileView } from '../../../../shared/domain';
import type { KeyValueStore } from '../../ports';

/**
 * A stored profile as the repository writes it (no secret, only its metadata). Typed as the schema's
 * input: fields added later with a default (e.g. `signInMethod`) are absent, as in files from before them.
 */
export function profileRecord(id: string, name = `Profil ${id}`): z.input<typeof ProfileView> {
  return {
    id: fixtureId(id),
    revision: 1,
    name,
    accountType: 'client-secret',
    cloud: 'global',
    senderAddress: 'bestellung@contoso.com',
    mailboxAddress: 'bestellung@contoso.com',
    clientId: '11111111-2222-3333-4444-555555555555',
    tenant: 'contoso.onmicrosoft.com',
    secret: { hasSecret: true, secretHint: 'abc', secretExpiresOn: '2027-06-30' },
    delegated: null,
    lastTest: null,
    createdAt: '2026-11-29T10:00:00.000Z',
    updatedAt: '2026-11-29T10:00:00.000Z',
  };
}

/** Profile ids are UUIDs; fixtures name them p1, p2 … and get a stable UUID for each name. */
export const fixtureId = (name: string): string =>
  `00000000-0000-4000-8000-${createHash('sha256').update(name).digest('hex').slice(0, 12)}`;

/** conf's own format (tab-indented), so fixtures look like files the app wrote. */
export const asFile = (data: unknown): Buffer => Buffer.from(JSON.stringify(data, undefined, '\t'), 'utf8');

/** The `profiles` map of a store: each record under its own id. */
export const profilesOf = (...names: string[]): Record<string, z.input<typeof ProfileView>> =>
  Object.fromEntries(names.map((name) => [fixtureId(name), profileRecord(name)]));

export const goodProfilesFile = (...ids: string[]): Buffer => asFile({ schemaVersion: 1, profiles: profilesOf(...ids) });

/** The damaged files DS-3 names, each as bytes a crash, a full disk or a stray tool could leave. */
export const CORRUPT_FIXTURES: Record<string, Buffer> = {
  truncated: goodProfilesFile('p1', 'p2').subarray(0, 137),
  'zero-byte': Buffer.alloc(0),
  'binary garbage': Buffer.from([0x00, 0xff, 0xfe, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x7b, 0x22]),
  'schema-violating': asFile({ schemaVersion: 1, profiles: { p1: { id: 'p1', name: 42, clientSecret: 'leak?' } } }),
};

/** A minimal KeyValueStore over `<dir>/<name>.json` for unit tests that must not depend on conf. */
export function jsonFileStore(dir: string, name: string): KeyValueStore {
  const file = join(dir, `${name}.json`);
  const load = (): Record<string, unknown> =>
    existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  return {
    get: (key) => load()[key],
    set: (key, value) => writeFileSync(file, JSON.stringify({ ...load(), [key]: value })),
    delete: (key) => writeFileSync(file, JSON.stringify(Object.fromEntries(Object.entries(load()).filter(([k]) => k !== key)))),
  };
}

export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

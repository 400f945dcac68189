import { describe, expect, it } from 'vitest';
import { REQUEST_SCHEMAS, type AbsenderApi, type ManifestMatchesApi } from '../../../shared/ipc/contract';
import { API_METHODS, channelOf } from '../../../shared/ipc/manifest';
import { createTestCore, VALID_DRAFT } from '../testing/core-fixture';
import { MemoryLogger } from '../testing/in-memory';
import { createHandlers } from './request-handlers';

// SH-2: one strict schema per method, no passthrough.
describe('IPC contract', () => {
  it('has one schema and one handler for every manifest entry, and nothing else', () => {
    const { handlers } = createTestCore();
    const expected = Object.entries(API_METHODS).flatMap(([ns, names]) => names.map((m) => channelOf(ns, m)));
    expect([...handlers.keys()].sort()).toEqual(expected.sort());
    for (const [ns, names] of Object.entries(API_METHODS)) {
      expect(Object.keys(REQUEST_SCHEMAS[ns as keyof typeof REQUEST_SCHEMAS]).sort()).toEqual([...names].sort());
    }
  });

  it('refuses to start when the core lacks a method the manifest names', () => {
    const { api } = createTestCore();
    const incomplete = { ...api, tests: {} } as unknown as AbsenderApi;
    expect(() => createHandlers(incomplete, new MemoryLogger())).toThrow('IPC contract incomplete: tests.run');
  });

  it('does not compile a manifest with a missing or an extra entry', () => {
    // @ts-expect-error tests.run is missing
    const missing: ManifestMatchesApi<{
      app: ['info'];
      settings: ['get', 'update'];
      profiles: ['list', 'save', 'delete', 'duplicate'];
      signIn: ['start', 'signOut'];
      tests: [];
    }> = true;
    // @ts-expect-error profiles.export does not exist
    const extra: ManifestMatchesApi<typeof API_METHODS & { profiles: ['list', 'save', 'delete', 'duplicate', 'export'] }> = true;
    expect([missing, extra]).toHaveLength(2);
  });

  it.each([
    ['junk type', 42],
    ['unknown key', { draft: { ...VALID_DRAFT }, clientSecret: 'x', extra: 1 }],
    ['bad GUID', { draft: { ...VALID_DRAFT, clientId: 'not-a-guid' } }],
    ['overlong secret', { draft: { ...VALID_DRAFT }, clientSecret: 'x'.repeat(5000) }],
  ])('rejects an unvalidated argument (%s) before it reaches the core or the store', async (_name, arg) => {
    const { handlers, stores } = createTestCore();
    const save = handlers.get(channelOf('profiles', 'save'));
    const result = await save?.(arg);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(stores.profiles.data.size).toBe(0);
    expect(stores.secrets.data.size).toBe(0);
  });

  it('names the invalid field with an i18n key', async () => {
    const { handlers } = createTestCore();
    const result = await handlers.get(channelOf('profiles', 'save'))?.({ draft: { ...VALID_DRAFT, clientId: 'nope' } });
    expect(result).toEqual({
      ok: false,
      error: { code: 'invalid-request', params: {}, fields: { clientId: 'validation.guid' } },
    });
  });

  it('answers a no-argument method only when no argument is given', async () => {
    const { handlers } = createTestCore();
    const list = handlers.get(channelOf('profiles', 'list'));
    expect(await list?.(undefined)).toEqual({ ok: true, value: [] });
    expect(await list?.({ sneaky: true })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });

  // SH-3: errors cross IPC redacted.
  it('turns an unexpected failure into a redacted internal error', async () => {
    const { api } = createTestCore();
    const logger = new MemoryLogger();
    const failing = {
      ...api,
      app: {
        ...api.app,
        info: () => Promise.reject(new Error('boom Authorization: Bearer eyJabc.def.ghi client_secret=Abc~123')),
      },
    };
    const result = await createHandlers(failing, logger).get(channelOf('app', 'info'))?.(undefined);
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    const text = JSON.stringify(result) + logger.lines.join('\n');
    expect(text).not.toContain('eyJabc.def.ghi');
    expect(text).not.toContain('Abc~123');
    expect(text).toContain('boom');
  });
});

import { describe, expect, it } from 'vitest';
import { ProfileView } from '../../../shared/domain';
import { profileRecord } from '../storage/testing/fixtures';
import { GRAPH_REUSE_EXPIRY_MARGIN_MS, GRAPH_REUSE_MS, ProfileGraphReuse, type ProfileGraph } from './profile-graph';

/** A stand-in ProfileGraph per build: only its identity matters here (the relay tests send through real ones). */
function builder(expiresInMs: number | null = 3_600_000) {
  let now = Date.parse('2026-12-01T08:00:00Z');
  let built = 0;
  let fail = false;
  const reuse = new ProfileGraphReuse(
    () => {
      built += 1;
      if (fail) return Promise.reject(new Error('token refused'));
      const graph = { mailbox: `m${built}` } as unknown as ProfileGraph;
      return Promise.resolve(expiresInMs === null ? graph : { ...graph, expiresAt: now + expiresInMs });
    },
    () => now,
  );
  return {
    reuse,
    built: () => built,
    advance: (ms: number) => (now += ms),
    failing: (on: boolean) => (fail = on),
  };
}

const profile = ProfileView.parse(profileRecord('p1'));

describe('ProfileGraphReuse', () => {
  it('serves one client per profile for a minute, then asks again', async () => {
    const b = builder();
    const first = await b.reuse.graphFor(profile);
    b.advance(GRAPH_REUSE_MS - 1);
    expect(await b.reuse.graphFor(profile)).toBe(first);
    expect(b.built()).toBe(1);
    b.advance(1);
    expect(await b.reuse.graphFor(profile)).not.toBe(first);
    expect(b.built()).toBe(2);
  });

  it('shares one build among sends that start at once', async () => {
    const b = builder();
    const [x, y] = await Promise.all([b.reuse.graphFor(profile), b.reuse.graphFor(profile)]);
    expect(x).toBe(y);
    expect(b.built()).toBe(1);
  });

  it('never reuses a client near its token expiry', async () => {
    const b = builder(GRAPH_REUSE_EXPIRY_MARGIN_MS + 10_000);
    const first = await b.reuse.graphFor(profile);
    b.advance(10_000);
    expect(await b.reuse.graphFor(profile)).not.toBe(first);
    // A token that is already inside the margin is used once, never kept.
    const c = builder(GRAPH_REUSE_EXPIRY_MARGIN_MS - 1);
    await c.reuse.graphFor(profile);
    await c.reuse.graphFor(profile);
    expect(c.built()).toBe(2);
  });

  it('builds anew for a changed profile and after forget (a 401)', async () => {
    const b = builder(null);
    const first = await b.reuse.graphFor(profile);
    const edited = ProfileView.parse({ ...profileRecord('p1'), name: 'Umbenannt' });
    const second = await b.reuse.graphFor(edited);
    expect(second).not.toBe(first);
    b.reuse.forget(profile.id);
    expect(await b.reuse.graphFor(edited)).not.toBe(second);
    expect(b.built()).toBe(3);
  });

  it('keeps no failure: the next send asks again', async () => {
    const b = builder();
    b.failing(true);
    await expect(b.reuse.graphFor(profile)).rejects.toThrow('token refused');
    b.failing(false);
    await b.reuse.graphFor(profile);
    expect(b.built()).toBe(2);
  });
});

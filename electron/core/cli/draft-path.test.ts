import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TestReport, TestStep } from '../../../shared/ipc/contract';
import { RelayCredentials } from '../relay/relay-credentials';
import { nodeFsSeam } from '../storage/fs-seam';
import { draftPathReader, draftPermission, markDraftPath } from './draft-path';

const step = (id: string, status: TestStep['status'], params: Record<string, string>): TestStep => ({
  id,
  status,
  durationMs: null,
  messageKey: null,
  adviceKey: null,
  params,
  code: null,
  httpStatus: null,
  correlationId: null,
  requestId: null,
  timestamp: null,
  detail: null,
});
const report = (...steps: TestStep[]) => ({ steps }) as unknown as TestReport;

describe('draftPermission', () => {
  it('reads the roles of an app-only token and the scopes of a Modern Authentication token', () => {
    expect(draftPermission(report(step('claims', 'warning', { roles: 'Mail.Send, Mail.ReadWrite' })))).toBe('granted');
    expect(draftPermission(report(step('claims', 'ok', { roles: 'User.Read.All' })))).toBe('missing');
    expect(draftPermission(report(step('scopes', 'ok', { scopes: 'Mail.Send, User.Read' })))).toBe('missing');
    expect(draftPermission(report(step('scopes', 'ok', { scopes: 'Mail.ReadWrite, Mail.Send' })))).toBe('granted');
  });

  it('does not judge a token that lists nothing (RBAC for Applications) or a test that never got one', () => {
    expect(draftPermission(report(step('claims', 'ok', { roles: '—' })))).toBe('unknown');
    expect(draftPermission(report(step('claims', 'skipped', {})))).toBe('unknown');
    expect(draftPermission(report(step('claims', 'failed', { tid: 'x', tenant: 'y' })))).toBe('unknown');
    expect(draftPermission(null)).toBe('unknown');
  });
});

describe('markDraftPath / draftPathReader', () => {
  let dir = '';
  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('remembers the first draft send per profile, under a name that does not show the profile id', () => {
    dir = mkdtempSync(join(tmpdir(), 'absender-draft-path-'));
    expect(draftPathReader(dir)('p1')).toBeNull();
    markDraftPath(dir, 'p1', new Date('2026-11-30T22:00:00Z'));
    markDraftPath(dir, 'p1', new Date('2026-12-01T22:00:00Z'));
    const use = draftPathReader(dir);
    expect(use('p1')).toEqual({ sendSince: '2026-11-30T22:00:00.000Z', relay: false });
    expect(use('p2')).toBeNull();
    const files = readdirSync(join(dir, 'draft-path'));
    expect(files).toHaveLength(1);
    expect(files[0]).not.toContain('p1');
  });

  it("reads the relay's logins once per reader (one check run), however many profiles it is asked about", async () => {
    dir = mkdtempSync(join(tmpdir(), 'absender-draft-path-'));
    await new RelayCredentials(dir).issue('p2', 'versand@contoso.com', new Date());
    await new RelayCredentials(dir).issue('p5', 'lager@contoso.com', new Date());
    const reads = vi.spyOn(nodeFsSeam, 'readFileSync');
    const credentialReads = () => reads.mock.calls.filter(([file]) => file.endsWith('credentials.json')).length;
    const use = draftPathReader(dir);
    const answers = ['p1', 'p2', 'p3', 'p4', 'p5'].map((id) => use(id)?.relay ?? false);
    expect(answers).toEqual([false, true, false, false, true]);
    expect(credentialReads()).toBe(1);
  });
});

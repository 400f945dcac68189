import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../../e2e/emulator';
import { RelayCredentials } from '../relay/relay-credentials';
import type { CheckResult } from './check-command';
import { sendHarness } from './testing/send-harness';
import { sendTestBed } from './testing/send-test-bed';

// `check` says when a profile that sends through drafts lacks Mail.ReadWrite, from the token's roles alone (no mail,
// no draft): the commands exactly as the binary runs them, against the emulator.

const bed = sendTestBed('absender-check-drafts-', '');
let harness: ReturnType<typeof sendHarness>;
beforeEach(() => {
  harness = sendHarness(bed.emulator, bed.dataDir);
});
const openCore = () => harness.openCore();
const saveProfile = (name: string, app: { clientId: string; secretValue: string }): Promise<string> =>
  harness.saveProfile(app, app.secretValue, name);
const command = (argv: string[]) => harness.command(argv);

const READ_WRITE_MISSING = 'host:cli.readWriteMissing';
const checkJson = async (profile: string) => {
  const run = await command(['check', '--profile', profile, '--json', '--prometheus', join(bed.dataDir, 'absender.prom')]);
  return {
    exitCode: run.exitCode,
    result: JSON.parse(run.stdout) as CheckResult,
    prom: readFileSync(join(bed.dataDir, 'absender.prom'), 'utf8'),
  };
};

describe('check: Mail.ReadWrite for profiles that send through drafts', () => {
  it('a relay profile whose token lacks Mail.ReadWrite warns (exit 1, JSON, Prometheus, de/en); the same profile without the relay is not warned about it', async () => {
    // User.Read.All only: the mailbox can be read and the token lists its roles; the one warning before the relay
    // login is that role itself (sending never needs it), not Mail.ReadWrite.
    const id = await saveProfile('Relay', DEMO.noMailSendApp);
    const before = await checkJson('Relay');
    expect(before.exitCode).toBe(1);
    expect(before.result.profiles[0]?.messages.map((m) => m.key)).toEqual(['steps.claims.broadRoles']);
    expect(before.result.profiles[0]?.drafts).toEqual({ mailReadWrite: 'missing', used: null });
    expect(before.result.profiles[0]?.messages.map((m) => m.key)).not.toContain(READ_WRITE_MISSING);
    expect(before.prom).toContain(`absender_mail_readwrite{profile="Relay",id="${id}"} 0`);
    expect(before.prom).toContain(`absender_draft_path_used{profile="Relay",id="${id}"} 0`);

    await new RelayCredentials(bed.dataDir).issue(id, DEMO.sender.upn, new Date());
    const after = await checkJson('Relay');
    expect(after.exitCode).toBe(1);
    const profile = after.result.profiles[0];
    expect(profile?.state).toBe('warning');
    expect(profile?.drafts).toEqual({ mailReadWrite: 'missing', used: { sendSince: null, relay: true } });
    const message = profile?.messages.find((m) => m.key === READ_WRITE_MISSING);
    expect(message?.text).toMatch(
      /API permissions → Add a permission → Microsoft Graph → Application permissions → Mail\.ReadWrite/,
    );
    expect(message?.text).toMatch(/granted: User\.Read\.All/);
    expect(after.prom).toContain(`absender_profile_state{profile="Relay",id="${id}",state="warning"} 1`);
    expect(after.prom).toContain(`absender_draft_path_used{profile="Relay",id="${id}"} 1`);
    expect(after.prom).toContain('absender_check_exit_code 1');

    const de = await command(['check', '--profile', 'Relay', '--lang', 'de']);
    expect(de.exitCode).toBe(1);
    expect(de.stdout).toMatch(/^WARNUNG/);
    expect(de.stdout).toContain(
      'API-Berechtigungen → Berechtigung hinzufügen → Microsoft Graph → Anwendungsberechtigungen → Mail.ReadWrite',
    );
    expect(de.stdout).toContain('Administratorzustimmung');
    expect(bed.emulator.sentMessages()).toEqual([]);
  });

  it('a send with --idempotency-key that was refused for Mail.ReadWrite makes the next check name it; no mail, no draft by the check', async () => {
    // Mail.Send only (restricted to the sender mailbox): small mail works, drafts do not.
    const id = await saveProfile('Bestellungen', DEMO.confidentialApp);
    const body = join(bed.dataDir, 'body.txt');
    writeFileSync(body, 'Bestellung 4711');
    const sent = await command([
      'send',
      '--profile',
      id,
      '--to',
      'kunde@example.com',
      '--subject',
      'PO',
      '--body-file',
      body,
      '--idempotency-key',
      'po-4711',
    ]);
    expect(sent.exitCode).toBe(77);
    const drafts = () => bed.emulator.mailboxItems(DEMO.sender.upn).length;
    const itemsBefore = drafts();
    const run = await checkJson('Bestellungen');
    expect(run.exitCode).toBeGreaterThanOrEqual(1);
    const profile = run.result.profiles[0];
    expect(profile?.drafts.mailReadWrite).toBe('missing');
    expect(profile?.drafts.used?.sendSince).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(profile?.messages.find((m) => m.key === READ_WRITE_MISSING)?.text).toMatch(
      /send took the draft path, first on \d{4}-/,
    );
    expect(bed.emulator.sentMessages()).toEqual([]);
    expect(drafts()).toBe(itemsBefore);
  });

  it('a draft profile whose token carries Mail.ReadWrite is not warned about it; a token without roles (RBAC) is not judged', async () => {
    const draft = await saveProfile('Entwürfe', DEMO.draftApp);
    const rbac = await saveProfile('RBAC', DEMO.rbacApp);
    const relay = new RelayCredentials(bed.dataDir);
    await relay.issue(draft, DEMO.sender.upn, new Date());
    await relay.issue(rbac, `versand@${DEMO.tenantDomain}`, new Date());
    const run = await command(['check', '--all', '--json']);
    const result = JSON.parse(run.stdout) as CheckResult;
    const byName = new Map(result.profiles.map((p) => [p.name, p]));
    expect(byName.get('Entwürfe')?.drafts.mailReadWrite).toBe('granted');
    expect(byName.get('RBAC')?.drafts.mailReadWrite).toBe('unknown');
    for (const p of result.profiles) expect(p.messages.map((m) => m.key)).not.toContain(READ_WRITE_MISSING);
    expect(byName.get('RBAC')?.state).toBe('ok');
  });

  it('deleting a profile through the core API removes its draft-path marker and send-journal entries, not another profile’s', async () => {
    const gone = await saveProfile('Bestellungen', DEMO.draftApp);
    const kept = await saveProfile('Rechnungen', DEMO.draftApp);
    const body = join(bed.dataDir, 'body.txt');
    writeFileSync(body, 'Bestellung 4711');
    for (const [id, key] of [
      [gone, 'po-4711'],
      [gone, 'po-4712'],
      [kept, 're-1'],
    ] as const) {
      const sent = await command([
        'send',
        '--profile',
        id,
        '--to',
        'kunde@example.com',
        '--subject',
        'PO',
        '--body-file',
        body,
        '--idempotency-key',
        key,
      ]);
      expect(sent.exitCode, sent.stderr).toBe(0);
    }
    const markers = () => readdirSync(join(bed.dataDir, 'draft-path'));
    const journal = () => readdirSync(join(bed.dataDir, 'send-journal'));
    expect(markers()).toHaveLength(2);
    expect(journal()).toHaveLength(3);

    const api = await openCore();
    const profile = (await api.profiles.list()).find((p) => p.id === gone);
    await api.profiles.delete({ id: gone, revision: profile?.revision ?? 0 });

    expect(markers()).toHaveLength(1);
    const left = journal().map(
      (f) => JSON.parse(readFileSync(join(bed.dataDir, 'send-journal', f), 'utf8')) as { profileId: string },
    );
    expect(left.map((e) => e.profileId)).toEqual([kept]);
    // The kept profile's marker is the one left: check still knows it sends through drafts.
    const run = await checkJson('Rechnungen');
    expect(run.result.profiles[0]?.drafts.used?.sendSince).toMatch(/^\d{4}-/);
    expect(existsSync(join(bed.dataDir, 'draft-path'))).toBe(true);
  });
});

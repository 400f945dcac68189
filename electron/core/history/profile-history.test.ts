import { describe, expect, it } from 'vitest';
import type { ProfileView } from '../../../shared/domain';
import { HISTORY_LIMIT, type HistoryEntry } from '../../../shared/transfer/profile-transfer';
import { InMemoryStore, MemoryLogger } from '../testing/in-memory';
import { historyOf, ProfileHistory, recordedProfiles } from './profile-history';
import type { ProfileRecords } from '../storage/profile-journal';

const AT = '2026-12-01T10:00:00.000Z';
const base: ProfileView = {
  id: '00000000-0000-4000-8000-000000000001',
  revision: 1,
  name: 'Bestellungen',
  accountType: 'client-secret',
  cloud: 'global',
  senderAddress: 'bestellung@contoso.com',
  mailboxAddress: 'bestellung@contoso.com',
  clientId: '11111111-2222-3333-4444-555555555555',
  tenant: 'contoso.onmicrosoft.com',
  secret: { hasSecret: true, secretHint: 'abc', secretExpiresOn: '2027-06-30' },
  signInMethod: 'popup',
  delegated: null,
  lastTest: null,
  createdAt: AT,
  updatedAt: AT,
};

describe('historyOf', () => {
  it('names changed fields, tests, sign-ins and sign-outs, never a secret value', () => {
    expect(historyOf(undefined, base, AT)).toEqual([{ kind: 'created', at: AT }]);
    const edited = { ...base, name: 'Rechnungen', secret: { ...base.secret, secretHint: 'xyz', secretExpiresOn: '2028-01-01' } };
    const entries = historyOf(base, edited, AT);
    expect(entries).toEqual([{ kind: 'edited', at: AT, fields: ['name', 'secretExpiresOn'] }]);
    expect(JSON.stringify(entries)).not.toContain('xyz');
    const tested = { ...base, lastTest: { at: AT, outcome: 'failed' as const, failedStep: 'token' } };
    expect(historyOf(base, tested, AT)).toEqual([{ kind: 'tested', at: AT, outcome: 'failed', failedStep: 'token' }]);
    // The same result again (the daily check) is not recorded; a changed one is.
    const LATER = '2026-12-02T10:00:00.000Z';
    expect(historyOf(tested, { ...tested, lastTest: { ...tested.lastTest, at: LATER } }, LATER)).toEqual([]);
    expect(historyOf(tested, { ...tested, lastTest: { at: LATER, outcome: 'ok' as const, failedStep: null } }, LATER)).toEqual([
      { kind: 'tested', at: LATER, outcome: 'ok', failedStep: null },
    ]);
    const account = {
      username: 'adele@contoso.com',
      homeAccountId: 'h',
      lastInteractiveSignIn: AT,
      lastSilentRefresh: null,
      lastRefreshError: null,
    };
    const signedIn = { ...base, accountType: 'modern-auth' as const, delegated: account };
    expect(historyOf({ ...signedIn, delegated: null }, signedIn, AT)).toEqual([
      { kind: 'signed-in', at: AT, username: 'adele@contoso.com' },
    ]);
    // A keep-alive refresh is not a sign-in.
    expect(historyOf(signedIn, { ...signedIn, delegated: { ...account, lastSilentRefresh: AT } }, AT)).toEqual([]);
    expect(historyOf(signedIn, { ...signedIn, delegated: null }, AT)).toEqual([{ kind: 'signed-out', at: AT }]);
  });
});

describe('ProfileHistory', () => {
  it('keeps the newest HISTORY_LIMIT entries per profile and forgets a removed profile', () => {
    const store = new InMemoryStore();
    const history = new ProfileHistory(store, new MemoryLogger());
    const entries: HistoryEntry[] = Array.from({ length: HISTORY_LIMIT + 25 }, (_, i) => ({
      kind: 'tested',
      at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
      outcome: 'ok',
      failedStep: null,
    }));
    for (const entry of entries) history.append(base.id, [entry]);
    const kept = history.list(base.id);
    expect(kept).toHaveLength(HISTORY_LIMIT);
    expect(kept[0]).toEqual(entries[25]);
    expect(kept.at(-1)).toEqual(entries.at(-1));
    history.remove(base.id);
    expect(history.list(base.id)).toEqual([]);
    expect(store.get('profiles')).toEqual({});
  });

  it('a history write that fails does not fail the profile write it describes', () => {
    const store = new InMemoryStore();
    const history = new ProfileHistory(store, new MemoryLogger());
    const map: Record<string, ProfileView> = {};
    const inner: ProfileRecords = {
      all: () => map,
      put: (p) => {
        map[p.id] = p;
      },
      remove: (id) => {
        Reflect.deleteProperty(map, id);
      },
    };
    const records = recordedProfiles(inner, history, () => new Date(AT));
    store.failNextWrite = Object.assign(new Error('disk full'), { code: 'ENOSPC' });
    records.put(base);
    expect(map[base.id]).toEqual(base);
    records.put({ ...base, name: 'Neu' });
    expect(history.list(base.id)).toEqual([{ kind: 'edited', at: AT, fields: ['name'] }]);
    records.remove(base.id);
    expect(history.list(base.id)).toEqual([]);
  });

  it('every read-modify-write runs inside the store lock; a lock busy past its wait is logged, never thrown', () => {
    const store = new InMemoryStore();
    const inside: boolean[] = [];
    let locked = false;
    let busy = false;
    const lockable = Object.assign(store, {
      exclusive<T>(work: () => T): T {
        if (busy) throw Object.assign(new Error('the lock is held'), { name: 'FileLockBusyError' });
        locked = true;
        try {
          return work();
        } finally {
          locked = false;
        }
      },
    });
    const get = store.get.bind(store);
    lockable.get = (key) => (inside.push(locked), get(key));
    const logger = new MemoryLogger();
    const history = new ProfileHistory(lockable, logger);
    history.append(base.id, [{ kind: 'created', at: AT }]);
    history.appendMany(new Map([[base.id, [{ kind: 'signed-out', at: AT }]]]));
    history.replace(base.id, [{ kind: 'created', at: AT }]);
    history.remove(base.id);
    expect(inside).toEqual([true, true, true, true]);
    busy = true;
    expect(() => history.append(base.id, [{ kind: 'created', at: AT }])).not.toThrow();
    expect(logger.lines).toEqual([`WARN history write failed ${JSON.stringify({ error: 'FileLockBusyError' })}`]);
  });

  it('a stored entry this version cannot read is skipped, the rest stays', () => {
    const store = new InMemoryStore();
    store.set('profiles', {
      [base.id]: [
        { kind: 'from-the-future', at: AT },
        { kind: 'created', at: AT },
      ],
    });
    expect(new ProfileHistory(store, new MemoryLogger()).list(base.id)).toEqual([{ kind: 'created', at: AT }]);
  });
});

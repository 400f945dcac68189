// The core's save with 1000 profiles on disk: what one admin's "Save" costs (list excluded, it is a read).
import { rm } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { createTestCore } from '../../electron/core/testing/core-fixture';
import { openConfStore } from '../../electron/core/testing/conf-store';
import { openCoreStores } from '../../electron/core/storage/core-stores';
import { atMost, median, seededDataDir } from '../support';
import type { BenchCase } from '../types';

export const ids = ['core.save_ms_1000'] as const;

export const run: BenchCase = async ({ small }) => {
  const { dir } = await seededDataDir(1000);
  try {
    // The same start-up as every host (DS-3 checks, then the stores), on real files.
    const stores = await openCoreStores({
      dir,
      open: (name) => openConfStore(dir, name),
      confirmStartEmpty: () => Promise.resolve(false),
    });
    const { api } = createTestCore({ clock: { now: () => new Date() }, stores });
    const times: number[] = [];
    const list = [...(await api.profiles.list())];
    for (let i = 0; i < (small ? 2 : 21); i++) {
      const at = (i * 37) % list.length;
      const current = list[at];
      if (!current) throw new Error('seed missing');
      const t = performance.now();
      list[at] = await api.profiles.save({
        draft: {
          id: current.id,
          revision: current.revision,
          name: `${current.name} x`,
          accountType: current.accountType,
          senderAddress: current.senderAddress,
          mailboxAddress: current.mailboxAddress,
          clientId: current.clientId,
          tenant: current.tenant,
          secretExpiresOn: current.secret.secretExpiresOn ?? '',
        },
      });
      times.push(performance.now() - t);
    }
    return [atMost(ids[0], median(times), 'ms', 10)];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

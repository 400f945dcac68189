import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';

// What the first paint does not show loads in chunks of its own, after the mask is interactive
// (renderer.ready_ratio): the dialogs and what only they use (Fluent's Dialog, the summary table …).
export const SettingsDialog = lazy(() =>
  import('./features/settings/SettingsDialog').then((m) => ({ default: m.SettingsDialog })),
);
export const TestAllDialog = lazy(() => import('./features/test-all/TestAllDialog').then((m) => ({ default: m.TestAllDialog })));
export const ExpiryOverview = lazy(() =>
  import('./features/profiles/ExpiryOverview').then((m) => ({ default: m.ExpiryOverview })),
);
export const ProfileDialogs = lazy(() =>
  import('./features/profiles/ProfileDialogs').then((m) => ({ default: m.ProfileDialogs })),
);

/** True once the window has painted and gone idle (at most 1 s later): then the deferred chunks load. */
function useAfterFirstPaint(): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    const done = (): void => setReady(true);
    if (typeof requestIdleCallback === 'function') {
      const id = requestIdleCallback(done, { timeout: 1000 });
      return () => cancelIdleCallback(id);
    }
    const id = setTimeout(done, 200);
    return () => clearTimeout(id);
  }, []);
  return ready;
}

/**
 * Mounts its lazy children once the window is idle after the first paint, or at once when `open` asks for
 * them earlier (a shortcut pressed during start): never a missing dialog, only a later download.
 */
export function Deferred({ open, children }: { open: boolean; children: ReactNode }): React.JSX.Element | null {
  const idle = useAfterFirstPaint();
  const [wanted, setWanted] = useState(open);
  if (open && !wanted) setWanted(true);
  if (!idle && !wanted) return null;
  return <Suspense fallback={null}>{children}</Suspense>;
}

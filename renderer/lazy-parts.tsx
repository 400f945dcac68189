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

// The mask's panels below the fold at 1280×800 (under the form): the first paint draws the list and the
// fields without them; they follow once the window is idle, in chunks of their own.
export const SetupAssistant = lazy(() =>
  import('./features/setup-assistant/SetupAssistant').then((m) => ({ default: m.SetupAssistant })),
);
export const SignInSection = lazy(() => import('./features/sign-in/SignInSection').then((m) => ({ default: m.SignInSection })));
export const ConnectionTestPanel = lazy(() =>
  import('./features/connection-test/ConnectionTestPanel').then((m) => ({ default: m.ConnectionTestPanel })),
);
export const HistorySection = lazy(() =>
  import('./features/history/HistorySection').then((m) => ({ default: m.HistorySection })),
);
export const CertificatePanel = lazy(() =>
  import('./features/certificate/CertificatePanel').then((m) => ({ default: m.CertificatePanel })),
);

/** Once the first paint has gone idle, later mounts need not wait again (a newly selected profile's panels). */
let firstPaintDone = false;

/** True once the window has painted and gone idle (at most 1 s later): then the deferred chunks load. */
function useAfterFirstPaint(): boolean {
  const [ready, setReady] = useState(firstPaintDone);
  useEffect(() => {
    if (ready) return;
    const done = (): void => {
      firstPaintDone = true;
      setReady(true);
    };
    if (typeof requestIdleCallback === 'function') {
      const id = requestIdleCallback(done, { timeout: 1000 });
      return () => cancelIdleCallback(id);
    }
    const id = setTimeout(done, 200);
    return () => clearTimeout(id);
  }, [ready]);
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

/**
 * A panel under the fold: a placeholder of about its height in the first paint, the panel itself once the
 * window is idle (renderer.ready_ratio). Later mounts show it at once; only its first download waits.
 */
export function BelowFold({ height, children }: { height: number; children: ReactNode }): React.JSX.Element {
  const idle = useAfterFirstPaint();
  // About the panel's usual room (set through the CSSOM, which the CSP allows): the page does not jump when it comes.
  const placeholder = <div style={{ minHeight: height }} aria-hidden />;
  if (!idle) return placeholder;
  return <Suspense fallback={placeholder}>{children}</Suspense>;
}

import { lazy, Suspense, useEffect, useState, type ComponentType, type ReactNode } from 'react';
import { loadValidation } from './features/profiles/form-model';

// What the first paint does not show loads in chunks of its own, after the mask is interactive
// (renderer.ready_ratio): the dialogs and what only they use (Fluent's Dialog, the summary table …).
export const SettingsDialog = lazy(() =>
  import('./features/settings/SettingsDialog').then((m) => ({ default: m.SettingsDialog })),
);
export const TestAllDialog = lazy(() => import('./features/test-all/TestAllDialog').then((m) => ({ default: m.TestAllDialog })));
export const ExpiryOverview = lazy(() =>
  import('./features/profiles/ExpiryOverview').then((m) => ({ default: m.ExpiryOverview })),
);
export const RelayPanel = lazy(() => import('./features/relay/RelayPanel').then((m) => ({ default: m.RelayPanel })));
export const TransferDialogs = lazy(() =>
  import('./features/transfer/TransferDialogs').then((m) => ({ default: m.TransferDialogs })),
);
export const AccountTypeDialog = lazy(() =>
  import('./features/profiles/AccountTypeDialog').then((m) => ({ default: m.AccountTypeDialog })),
);
export const AppToaster = lazy(() => import('./components/AppToaster').then((m) => ({ default: m.AppToaster })));
export const ProfileDialogs = lazy(() =>
  import('./features/profiles/ProfileDialogs').then((m) => ({ default: m.ProfileDialogs })),
);

/** Downloads of the panels below, started once the first paint has gone idle; the mask's schemas with them. */
const panelLoads: Array<() => Promise<void>> = [loadValidation];

/**
 * A panel in a chunk of its own: React.lazy until the chunk is there, then the component itself, so a panel
 * mounted later (a profile saved, selected) draws in the same pass instead of a placeholder first. One load
 * path: the idle preload and React.lazy share the same promise, which also records the loaded component.
 */
function deferredPanel<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | undefined;
  let pending: Promise<{ default: ComponentType<P> }> | undefined;
  const preload = (): Promise<{ default: ComponentType<P> }> =>
    (pending ??= load().then((component) => {
      loaded = component;
      return { default: component };
    }));
  panelLoads.push(() => preload().then(() => undefined));
  const Lazy = lazy(preload);
  return function Panel(props: P): React.JSX.Element {
    // Fixed per instance: switching from Lazy to the component would remount it and lose its state.
    const [Component] = useState<ComponentType<P>>(() => loaded ?? Lazy);
    return <Component {...props} />;
  };
}

// The mask's panels below the fold at 1280×800 (under the form): the first paint draws the list and the
// fields without them; they follow once the window is idle.
export const SetupAssistant = deferredPanel(() =>
  import('./features/setup-assistant/SetupAssistant').then((m) => m.SetupAssistant),
);
export const SignInSection = deferredPanel(() => import('./features/sign-in/SignInSection').then((m) => m.SignInSection));
export const ConnectionTestPanel = deferredPanel(() =>
  import('./features/connection-test/ConnectionTestPanel').then((m) => m.ConnectionTestPanel),
);
export const HistorySection = deferredPanel(() => import('./features/history/HistorySection').then((m) => m.HistorySection));
// In the mask itself, but its calendar is heavy: ExpiryDateField shows a plain field until this is there.
export const ExpiryDatePicker = deferredPanel(() =>
  import('./features/profiles/ExpiryDatePicker').then((m) => m.ExpiryDatePicker),
);
export const CertificatePanel = deferredPanel(() =>
  import('./features/certificate/CertificatePanel').then((m) => m.CertificatePanel),
);

/** Once the first paint has gone idle, later mounts need not wait again (a newly selected profile's panels). */
let firstPaintDone = false;

/** True once the window has painted and gone idle (at most 1 s later): then the deferred chunks load. */
function useAfterFirstPaint(): boolean {
  const [ready, setReady] = useState(firstPaintDone);
  useEffect(() => {
    if (ready) return;
    const done = (): void => {
      if (!firstPaintDone) for (const preload of panelLoads) void preload();
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

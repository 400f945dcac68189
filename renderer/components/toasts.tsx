import { useCallback } from 'react';

export const TOASTER_ID = 'app-toaster';

export interface SuccessToast {
  id: string;
  text: string;
  attributes: Record<`data-${string}`, string>;
}

/**
 * The toaster (Fluent's Toaster, Toast and their controller) comes in a chunk of its own once the first paint
 * has gone idle (AppToaster in lazy-parts.tsx, renderer.ready_ratio). Fluent hands a toast to its toaster by a
 * document event, which nobody hears before the toaster is mounted: a toast said earlier waits here instead.
 */
let show: ((toast: SuccessToast) => void) | null = null;
let waiting: SuccessToast | null = null;

/** AppToaster, once mounted: takes over, and says what waited. Returns the detach for its unmount. */
export function attachToaster(next: (toast: SuccessToast) => void): () => void {
  show = next;
  const early = waiting;
  waiting = null;
  if (early) next(early);
  return () => {
    if (show === next) show = null;
  };
}

/**
 * Success is said once and goes away; errors stay in the window until dismissed. One success toast at a
 * time: a second one (another save, a sign-in) replaces its text instead of stacking beside it, so of the
 * toasts said before the toaster is there only the last one is kept.
 */
export function useSuccessToast(): (id: string, text: string, attributes?: Record<`data-${string}`, string>) => void {
  return useCallback((id, text, attributes = {}) => sayToast({ id, text, attributes }), []);
}

/** To the toaster, or kept until it is there (useSuccessToast's work, without React). */
export function sayToast(toast: SuccessToast): void {
  if (show) show(toast);
  else waiting = toast;
}

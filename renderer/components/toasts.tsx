import { Toast, ToastTitle, useToastController } from '@fluentui/react-components';
import { useCallback } from 'react';

export const TOASTER_ID = 'app-toaster';
/** Long enough to read a sentence; a hover holds it. */
const SUCCESS_TIMEOUT_MS = 5000;

/** The success toast on screen now; one toaster per window, so one slot. */
const live = { id: 0, shown: false };

/**
 * Success is said once and goes away; errors stay in the window until dismissed. One success toast at a
 * time: a second one (another save, a sign-in) replaces its text instead of stacking beside it.
 */
export function useSuccessToast(): (id: string, text: string, attributes?: Record<`data-${string}`, string>) => void {
  const { dispatchToast, updateToast } = useToastController(TOASTER_ID);
  return useCallback(
    (id, text, attributes = {}) => {
      const content = (
        <Toast role="status" data-toast={id} {...attributes}>
          <ToastTitle>{text}</ToastTitle>
        </Toast>
      );
      if (live.shown) {
        updateToast({ toastId: `success-${String(live.id)}`, content, timeout: SUCCESS_TIMEOUT_MS });
        return;
      }
      // A toast that is closing keeps its id until it is gone: the next one gets a fresh id.
      const own = ++live.id;
      live.shown = true;
      dispatchToast(content, {
        toastId: `success-${String(own)}`,
        intent: 'success',
        timeout: SUCCESS_TIMEOUT_MS,
        pauseOnHover: true,
        onStatusChange: (_e, data) => {
          if (own === live.id && (data.status === 'dismissed' || data.status === 'unmounted')) live.shown = false;
        },
      });
    },
    [dispatchToast, updateToast],
  );
}

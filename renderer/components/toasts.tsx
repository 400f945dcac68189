import { Toast, ToastTitle, useToastController } from '@fluentui/react-components';
import { useCallback } from 'react';

export const TOASTER_ID = 'app-toaster';
/** Long enough to read a sentence; a hover holds it. */
const SUCCESS_TIMEOUT_MS = 5000;
const SUCCESS_TOAST = 'success';

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
      dispatchToast(content, { toastId: SUCCESS_TOAST, intent: 'success', timeout: SUCCESS_TIMEOUT_MS, pauseOnHover: true });
      updateToast({ toastId: SUCCESS_TOAST, content, timeout: SUCCESS_TIMEOUT_MS });
    },
    [dispatchToast, updateToast],
  );
}

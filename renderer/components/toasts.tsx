import { Toast, ToastTitle, useToastController } from '@fluentui/react-components';
import { useCallback } from 'react';

export const TOASTER_ID = 'app-toaster';
/** Long enough to read a sentence; a hover holds it. */
const SUCCESS_TIMEOUT_MS = 5000;

/**
 * Success is said once and goes away; errors stay in the window until dismissed. One toast per kind
 * (`id`): a second save while the first toast shows replaces its text instead of stacking a second one.
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
      dispatchToast(content, { toastId: id, intent: 'success', timeout: SUCCESS_TIMEOUT_MS, pauseOnHover: true });
      updateToast({ toastId: id, content, timeout: SUCCESS_TIMEOUT_MS });
    },
    [dispatchToast, updateToast],
  );
}

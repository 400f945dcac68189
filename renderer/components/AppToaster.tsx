import { Toast, Toaster, ToastTitle, useToastController } from '@fluentui/react-components';
import { MotionBehaviourProvider } from '@fluentui/react-motion';
import { useEffect } from 'react';
import { attachToaster, TOASTER_ID } from './toasts';

/** Long enough to read a sentence; a hover holds it. */
const SUCCESS_TIMEOUT_MS = 5000;

/** The success toast on screen now; one toaster per window, so one slot. */
const live = { id: 0, shown: false };

/** The window's toaster, loaded after the first paint (see toasts.tsx); useSuccessToast's toasts land here. */
export function AppToaster(): React.JSX.Element {
  const { dispatchToast, updateToast } = useToastController(TOASTER_ID);
  // After the Toaster's own effect (children first): its document listeners are there when a waiting toast comes.
  useEffect(
    () =>
      attachToaster(({ id, text, attributes }) => {
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
      }),
    [dispatchToast, updateToast],
  );
  // Toasts come and go without a fade: a half-transparent message is unreadable (and fails contrast).
  return (
    <MotionBehaviourProvider value="skip">
      <Toaster toasterId={TOASTER_ID} position="bottom-end" inline />
    </MotionBehaviourProvider>
  );
}

import { useEffect, useState } from 'react';
import type { Settings } from '../../../shared/domain';
import { api } from '../../api';

/**
 * The settings dialog's open state, and whether the admin accepted weak encryption (the banner shows
 * it): that changes in the dialog and in the editor's weak-encryption prompt, so it is read again after each.
 */
export function useSettingsDialog(initial: Settings, weakEncryptionPrompt: string | null) {
  const [open, setOpen] = useState(false);
  const [weakAccepted, setWeakAccepted] = useState(initial.acceptedWeakEncryption);
  useEffect(() => {
    if (weakEncryptionPrompt === null) void api.settings.get().then((s) => setWeakAccepted(s.acceptedWeakEncryption));
  }, [weakEncryptionPrompt]);
  return {
    open,
    weakAccepted,
    show: () => setOpen(true),
    close: (saved: Settings | null) => {
      setOpen(false);
      if (saved) setWeakAccepted(saved.acceptedWeakEncryption);
    },
  };
}

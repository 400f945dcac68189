import { useEffect } from 'react';
import type { ProfileEditor } from './useProfileEditor';

/** Ctrl+S / Cmd+S saves; closing the window with unsaved edits asks first (the Electron host shows the question). */
export function useEditorShortcuts(editor: ProfileEditor): void {
  const { save, dirty } = editor;
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's' && !e.repeat) {
        e.preventDefault();
        void save();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [save]);
  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (e: BeforeUnloadEvent): void => e.preventDefault();
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty]);
}

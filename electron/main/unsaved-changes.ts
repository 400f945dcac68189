import type { MessageBoxSyncOptions } from 'electron';
import type { StartupLanguage } from './startup';

/** The question when the renderer objects to unloading with an unsaved edit; button 1 = leave. */
export function unsavedChangesPrompt(language: StartupLanguage): MessageBoxSyncOptions {
  const de = language === 'de';
  return {
    type: 'question',
    buttons: de ? ['Bleiben', 'Verwerfen und schließen'] : ['Stay', 'Discard and close'],
    defaultId: 0,
    cancelId: 0,
    message: de ? 'Der Absender hat ungespeicherte Änderungen.' : 'This sender profile has unsaved changes.',
  };
}

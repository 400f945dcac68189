import type { MessageBoxSyncOptions } from 'electron';
import { t } from '../../shared/i18n/translate';
import type { StartupLanguage } from './startup';

/** The question when the renderer objects to unloading with an unsaved edit; button 1 = leave. */
export function unsavedChangesPrompt(language: StartupLanguage): MessageBoxSyncOptions {
  return {
    type: 'question',
    buttons: [t(language, 'host:unsavedChanges.stay'), t(language, 'host:unsavedChanges.discard')],
    defaultId: 0,
    cancelId: 0,
    message: t(language, 'host:unsavedChanges.message'),
  };
}

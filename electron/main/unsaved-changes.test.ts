import { describe, expect, it } from 'vitest';
import { unsavedChangesPrompt } from './unsaved-changes';

describe('unsavedChangesPrompt', () => {
  it('asks in the given language, "stay" first and as the default', () => {
    expect(unsavedChangesPrompt('de')).toEqual({
      type: 'question',
      buttons: ['Bleiben', 'Verwerfen und schließen'],
      defaultId: 0,
      cancelId: 0,
      message: 'Der Absender hat ungespeicherte Änderungen.',
    });
    expect(unsavedChangesPrompt('en')).toMatchObject({
      buttons: ['Stay', 'Discard and close'],
      message: 'This sender profile has unsaved changes.',
    });
  });
});

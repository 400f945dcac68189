import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProfileEditor } from '../profiles/useProfileEditor';
import { useConnectionTest, type TestOptions } from './useConnectionTest';

const noOptions = (testMessageTo: string): TestOptions => ({
  sendTestMessage: false,
  testMessageTo,
  probe: false,
  probeMailbox: '',
});

/** The test panel's state for the open profile: its options, why it cannot run yet, and the run itself. */
export function useTestRun(editor: ProfileEditor) {
  const { t } = useTranslation();
  const current = editor.current;
  const tester = useConnectionTest(current?.id ?? null, editor.adopt);
  const [chosen, setOptions] = useState<TestOptions>(noOptions(''));
  // New profile or sender: fresh options (nothing is sent unless ticked again).
  const optionsKey = `${current?.id ?? ''}|${current?.senderAddress ?? ''}`;
  const [optionsFor, setOptionsFor] = useState(optionsKey);
  if (optionsFor !== optionsKey) {
    setOptionsFor(optionsKey);
    setOptions(noOptions(current?.senderAddress ?? ''));
  }
  const disabledReason = !current ? t('test.saveFirst') : editor.dirty ? t('test.saveChangesFirst') : null;

  /** `override`: options a caller sets for this run (the setup assistant's restriction probe); the panel shows them. */
  const run = async (override?: TestOptions): Promise<void> => {
    if (!current || disabledReason !== null) return;
    const options = override ?? chosen;
    if (override) setOptions(override);
    await tester.run({
      profileId: current.id,
      ...(options.sendTestMessage && options.testMessageTo.trim() !== '' ? { testMessageTo: options.testMessageTo.trim() } : {}),
      ...(options.probe && options.probeMailbox.trim() !== '' ? { restrictionProbeMailbox: options.probeMailbox.trim() } : {}),
    });
  };

  return { tester, options: chosen, setOptions, disabledReason, run };
}

export type TestRun = ReturnType<typeof useTestRun>;

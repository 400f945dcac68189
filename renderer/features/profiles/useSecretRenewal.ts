import { useState } from 'react';
import { api } from '../../api';
import type { ConnectionTest } from '../connection-test/useConnectionTest';
import type { ProfileEditor } from './useProfileEditor';

export type RenewState = { kind: 'idle' | 'running' | 'failed' } | { kind: 'done'; hint: string; old: string };

/**
 * Renew the open profile's client secret. The core tests the new value while the old one stays
 * stored and replaces it only when it works; the test panel shows the candidate's steps.
 */
export function useSecretRenewal(editor: ProfileEditor, tester: ConnectionTest) {
  const [state, setState] = useState<RenewState>({ kind: 'idle' });
  const profileId = editor.current?.id ?? null;
  // Another profile opened: the message was about the previous one.
  const [shownFor, setShownFor] = useState(profileId);
  if (shownFor !== profileId) {
    setShownFor(profileId);
    setState({ kind: 'idle' });
  }

  const renew = async (): Promise<void> => {
    const current = editor.current;
    if (!current) return;
    setState({ kind: 'running' });
    const result = await tester.track(
      current.id,
      () =>
        api.secrets.renew({
          profileId: current.id,
          revision: editor.baseRevision ?? current.revision,
          clientSecret: editor.secretInput,
          expiresOn: editor.values.secretExpiresOn,
        }),
      (r) => r.report,
    );
    if (result?.outcome === 'renewed') editor.adoptRenewal(result.report.profile);
    // The admin may have opened another profile meanwhile: the message is not theirs.
    setState((s) =>
      s.kind !== 'running'
        ? s
        : result?.outcome === 'renewed'
          ? { kind: 'done', hint: result.report.profile.secret.secretHint ?? '', old: result.replacedHint ?? '' }
          : { kind: 'failed' },
    );
  };

  return { state, renew };
}

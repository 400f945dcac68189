import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiEvents, SignInResult } from '../../../shared/ipc/contract';
import { api, ApiError, onEvent } from '../../api';

export type SignInUiState =
  | { kind: 'idle' }
  | { kind: 'busy'; phase: ApiEvents['signIn.state']['state'] }
  | { kind: 'done'; result: SignInResult }
  | { kind: 'error'; code: string };

/** Interactive sign-in for the open profile; the window itself belongs to the main process. */
export function useSignIn(profileId: string | null, onChanged: () => Promise<void>) {
  const [state, setState] = useState<SignInUiState>({ kind: 'idle' });
  const [shownFor, setShownFor] = useState(profileId);
  if (shownFor !== profileId) {
    setShownFor(profileId);
    setState({ kind: 'idle' });
  }

  // The latest callback without resubscribing on every render (the editor hands a new one each time).
  const changed = useRef(onChanged);
  useEffect(() => {
    changed.current = onChanged;
  }, [onChanged]);

  useEffect(
    () =>
      onEvent('signIn.state', (event) => {
        // The keep-alive works on any profile, open or not: the list's badges must show its outcome.
        if (event.state === 'refreshed' || event.state === 'refresh-failed') {
          // An earlier "signed in" message would now contradict the profile's state.
          if (event.profileId === profileId) setState((s) => (s.kind === 'done' ? { kind: 'idle' } : s));
          void changed.current();
          return;
        }
        if (event.profileId !== profileId) return;
        if (event.state === 'waiting-for-user' || event.state === 'exchanging-code')
          setState({ kind: 'busy', phase: event.state });
      }),
    [profileId],
  );

  const signIn = useCallback(async (): Promise<void> => {
    if (profileId === null) return;
    setState({ kind: 'busy', phase: 'waiting-for-user' });
    try {
      const result = await api.signIn.start({ profileId });
      setState({ kind: 'done', result });
    } catch (e) {
      setState({ kind: 'error', code: e instanceof ApiError ? e.dto.code : 'internal' });
    }
    await onChanged();
  }, [profileId, onChanged]);

  const signOut = useCallback(async (): Promise<void> => {
    if (profileId === null) return;
    await api.signIn.signOut({ profileId });
    setState({ kind: 'idle' });
    await onChanged();
  }, [profileId, onChanged]);

  const cancel = useCallback(async (): Promise<void> => {
    if (profileId !== null) await api.signIn.cancel({ profileId });
  }, [profileId]);

  return { state, signIn, signOut, cancel, busy: state.kind === 'busy' };
}

export type SignIn = ReturnType<typeof useSignIn>;

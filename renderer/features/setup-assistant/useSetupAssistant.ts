import { useCallback, useEffect, useState } from 'react';
import type { ProfileView } from '../../../shared/domain';
import type { AppErrorDto } from '../../../shared/errors';
import type { SetupUpdateRequest } from '../../../shared/ipc/contract';
import { api, ApiError } from '../../api';

const dto = (e: unknown): AppErrorDto => (e instanceof ApiError ? e.dto : { code: 'internal', params: {} });

/** The assistant's writes go through the core (schema-checked there); the answer updates the list. */
export function useSetupAssistant(profile: ProfileView, adopt: (p: ProfileView) => void) {
  const [error, setError] = useState<AppErrorDto | null>(null);
  const update = useCallback(
    async (change: Omit<SetupUpdateRequest, 'profileId'>): Promise<void> => {
      try {
        adopt(await api.setup.update({ profileId: profile.id, ...change }));
        setError(null);
      } catch (e) {
        setError(dto(e));
      }
    },
    [profile.id, adopt],
  );
  const openConsent = useCallback(async (): Promise<void> => {
    try {
      await api.setup.openAdminConsent({ profileId: profile.id });
    } catch (e) {
      setError(dto(e));
    }
  }, [profile.id]);
  return { update, openConsent, error };
}

/** The renderer's minute clock for "offer the probe again": re-renders when the next offer may be due. */
export function useMinuteClock(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = setInterval(() => setNow(new Date()), 60_000);
    return () => clearInterval(id);
  }, []);
  return now;
}

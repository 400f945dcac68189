import { useCallback, useEffect, useState } from 'react';
import type { ProfileView } from '../../../shared/domain';
import { api } from '../../api';

export function useProfiles(): {
  profiles: ProfileView[];
  selectedId: string | null;
  select: (id: string | null) => void;
  reload: () => Promise<void>;
} {
  const [profiles, setProfiles] = useState<ProfileView[]>([]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const reload = useCallback(async () => setProfiles(await api.profiles.list()), []);
  useEffect(() => {
    let live = true;
    void api.profiles.list().then((list) => {
      if (live) setProfiles(list);
    });
    return () => {
      live = false;
    };
  }, []);
  return { profiles, selectedId, select: setSelectedId, reload };
}

import type { AppInfo, Settings } from '../shared/domain';
import { api } from './api';
import { prefetchProfiles } from './features/profiles/initial-profiles';

let first: Promise<{ info: AppInfo; settings: Settings }> | undefined;

/**
 * The three requests the first render waits for, at once. main.tsx starts them before it imports the app, so
 * their round trips run while the first-paint chunk is still being parsed (renderer.ready_ratio); boot() only
 * awaits them. Called again, it returns the same requests.
 */
export function firstCalls(): Promise<{ info: AppInfo; settings: Settings }> {
  first ??= Promise.all([api.app.info(), api.settings.get(), prefetchProfiles()]).then(([info, settings]) => ({
    info,
    settings,
  }));
  return first;
}

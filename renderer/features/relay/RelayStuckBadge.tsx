import { Badge } from '@fluentui/react-components';
import { MailClockRegular } from '@fluentui/react-icons';
import type { TFunction } from 'i18next';
import { useRelayStatus } from './relay-store';

/** In the profile list: relayed mail of this profile that waits more than 15 minutes or failed. */
export function RelayStuckBadge({ profileId, t }: { profileId: string; t: TFunction }): React.JSX.Element | null {
  const count = useRelayStatus()?.stuck[profileId] ?? 0;
  if (count === 0) return null;
  return (
    <Badge data-badge="relay-stuck" appearance="tint" color="danger" icon={<MailClockRegular />}>
      {t('badges.relayStuck', { count })}
    </Badge>
  );
}

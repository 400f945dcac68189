import { Badge } from '@fluentui/react-components';
import { ShieldLockRegular, WrenchRegular } from '@fluentui/react-icons';
import type { TFunction } from 'i18next';
import type { ProfileView } from '../../../shared/domain';
import { restrictionState } from '../../../shared/setup/restriction-recheck';
import { openSteps } from '../../../shared/setup/setup-steps';

/** The list's hint that a profile's setup is unfinished: its open steps, or a restriction still taking effect. */
export function SetupBadge({
  profile,
  now,
  t,
  language,
}: {
  profile: ProfileView;
  now: Date;
  /** The list's: see ProfileBadges. */
  t: TFunction;
  language: string;
}): React.JSX.Element | null {
  const open = openSteps(profile).length;
  const restriction = restrictionState(profile.setup, now);
  if (restriction.kind === 'pending') {
    const time = new Intl.DateTimeFormat(language, { timeStyle: 'short' }).format(new Date(restriction.since));
    return (
      <Badge data-badge="setup" data-state="restriction-pending" appearance="tint" color="warning" icon={<ShieldLockRegular />}>
        {t('setup.restriction.pendingBadge', { time })}
      </Badge>
    );
  }
  if (open === 0) return null;
  return (
    <Badge data-badge="setup" data-state="open" appearance="outline" color="informative" icon={<WrenchRegular />}>
      {t('setup.openSteps', { count: open })}
    </Badge>
  );
}

import { Badge, type BadgeProps } from '@fluentui/react-components';
import { CheckmarkCircleFilled, DismissCircleFilled, KeyRegular, PersonClockRegular, WarningFilled } from '@fluentui/react-icons';
import type { TFunction } from 'i18next';
import type { ProfileView } from '../../../shared/domain';
import { isAppOnlyType } from '../../../shared/domain-basics';
import {
  credentialExpiry,
  daysSince,
  lastSessionUse,
  refreshNeedsSignIn,
  refreshWindow,
  type ExpiryState,
} from '../../../shared/profile-health';
import { relativeDays } from '../../../shared/relative-days';
import { SetupBadge } from '../setup-assistant/SetupBadge';
import { RelayStuckBadge } from '../relay/RelayStuckBadge';

const EXPIRY_COLOR: Record<ExpiryState, NonNullable<BadgeProps['color']>> = {
  ok: 'informative',
  soon: 'warning',
  urgent: 'warning',
  critical: 'danger',
  expired: 'danger',
  unknown: 'informative',
};

/**
 * The answer to "will tonight's batch job work?" for one profile, at a glance. `t` and `language` come from
 * the list: one useTranslation per list instead of four per row (renderer.ready_ratio); a language change
 * renders the list, and with it the rows, again.
 */
export function ProfileBadges({
  profile,
  now,
  only,
  t,
  language,
}: {
  profile: ProfileView;
  now: Date;
  only?: 'secret';
  t: TFunction;
  language: string;
}): React.JSX.Element {
  const badges: React.JSX.Element[] = [];
  const test = only === undefined ? profile.lastTest : null;
  if (only !== undefined) {
    // only the secret badge
  } else if (test) {
    const when = relativeDays(-daysSince(test.at, now), language);
    const icon =
      test.outcome === 'ok' ? (
        <CheckmarkCircleFilled />
      ) : test.outcome === 'warning' ? (
        <WarningFilled />
      ) : (
        <DismissCircleFilled />
      );
    const color = test.outcome === 'ok' ? 'success' : test.outcome === 'warning' ? 'warning' : 'danger';
    badges.push(
      <Badge key="test" data-badge="test" appearance="tint" color={color} icon={icon}>
        {t(`badges.test.${test.outcome}`, { when })}
      </Badge>,
    );
  } else {
    badges.push(
      <Badge key="test" data-badge="test" appearance="outline" color="informative">
        {t('badges.test.never')}
      </Badge>,
    );
  }
  if (isAppOnlyType(profile.accountType)) {
    // The certificate's badge counts to its notAfter, with the secret's 60/30/7 days.
    const kind = profile.accountType === 'client-certificate' ? 'certificate' : 'secret';
    const expiry = credentialExpiry(profile, now);
    if (kind === 'secret' && profile.secret.hasSecret && profile.secret.issue?.kind === 'secret-id') {
      badges.push(
        <Badge key="secret-id" data-badge="secret-id" appearance="tint" color="danger" icon={<WarningFilled />}>
          {t('badges.secret.secretId')}
        </Badge>,
      );
    }
    if (!profile.secret.hasSecret || expiry === null) {
      badges.push(
        <Badge key="secret" data-badge={kind} appearance="tint" color="danger" icon={<KeyRegular />}>
          {t(`badges.${kind}.missing`)}
        </Badge>,
      );
    } else {
      const { state, daysLeft } = expiry;
      badges.push(
        <Badge
          key="secret"
          data-badge={kind}
          data-state={state}
          appearance="tint"
          color={EXPIRY_COLOR[state]}
          icon={<KeyRegular />}
        >
          {t(`badges.${kind}.${state}`, { count: Math.abs(daysLeft ?? 0), when: relativeDays(daysLeft ?? 0, language) })}
        </Badge>,
      );
    }
  } else if (profile.delegated?.lastRefreshError && refreshNeedsSignIn(profile.delegated.lastRefreshError.diagnosisId)) {
    // The keep-alive learned that the session is gone: a countdown would be wrong, the fix is a sign-in.
    badges.push(
      <Badge
        key="signin"
        data-badge="signin"
        data-state="required"
        appearance="filled"
        color="danger"
        icon={<PersonClockRegular />}
      >
        {t('badges.signIn.required')}
      </Badge>,
    );
  } else {
    const { state, daysLeft } = refreshWindow(profile.delegated ? lastSessionUse(profile.delegated) : null, now);
    const color = state === 'ok' ? 'informative' : state === 'soon' ? 'warning' : 'danger';
    badges.push(
      <Badge key="signin" data-badge="signin" data-state={state} appearance="tint" color={color} icon={<PersonClockRegular />}>
        {t(`badges.signIn.${state}`, { count: daysLeft ?? 0 })}
      </Badge>,
    );
    if (profile.delegated?.lastRefreshError) {
      badges.push(
        <Badge key="keep-alive" data-badge="keep-alive" appearance="tint" color="warning" icon={<WarningFilled />}>
          {t('badges.keepAliveFailed')}
        </Badge>,
      );
    }
  }
  if (only === undefined) badges.push(<SetupBadge key="setup" profile={profile} now={now} t={t} language={language} />);
  if (only === undefined) badges.push(<RelayStuckBadge key="relay" profileId={profile.id} t={t} />);
  return <>{badges}</>;
}

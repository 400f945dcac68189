import {
  Badge,
  Button,
  Card,
  CardHeader,
  Checkbox,
  MessageBar,
  MessageBarBody,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { CheckmarkCircleFilled, ChevronDownRegular, ChevronUpRegular, OpenRegular, WrenchRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Guid, MailAddress, type ProfileView } from '../../../shared/domain';
import { restrictionState } from '../../../shared/setup/restriction-recheck';
import { EMPTY_SETUP } from '../../../shared/setup/setup-progress';
import { openSteps, setupSteps, signInKindOf, type SetupStep } from '../../../shared/setup/setup-steps';
import { CopyButton } from '../../components/CopyButton';
import { HelpLink } from '../../components/HelpLink';
import { errorText } from '../../i18n/error-text';
import { RestrictionScript } from './RestrictionScript';
import { useMinuteClock, useSetupAssistant } from './useSetupAssistant';

const useStyles = makeStyles({
  card: { maxWidth: '820px' },
  steps: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  step: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, paddingLeft: tokens.spacingHorizontalXXL },
  stepHead: { marginLeft: `calc(-1 * ${tokens.spacingHorizontalXXL})` },
  copyRow: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  value: {
    fontFamily: tokens.fontFamilyMonospace,
    backgroundColor: tokens.colorNeutralBackground3,
    padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalS}`,
    borderRadius: tokens.borderRadiusMedium,
    overflowWrap: 'anywhere',
  },
  perms: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
  muted: { color: tokens.colorNeutralForeground3 },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
});

/** The manual's Entra and Exchange steps for this profile, its values filled in; folds to "done" after a successful test. */
export function SetupAssistant({
  profile,
  adopt,
  onProbe,
  testing,
}: {
  profile: ProfileView;
  adopt: (p: ProfileView) => void;
  /** Runs the connection test with the restriction probe against the control mailbox. */
  onProbe: (controlMailbox: string) => void;
  testing: boolean;
}): React.JSX.Element {
  const styles = useStyles();
  const { t, i18n } = useTranslation();
  const { update, openConsent, error } = useSetupAssistant(profile, adopt);
  const now = useMinuteClock();
  const setup = profile.setup ?? EMPTY_SETUP;
  const done = setup.completedAt !== null;
  const [expandedFor, setExpandedFor] = useState<{ id: string; open: boolean } | null>(null);
  const expanded = expandedFor?.id === profile.id ? expandedFor.open : !done;
  const steps = setupSteps(profile);
  const open = openSteps(profile);
  // A tick shows at once; the core's answer (the stored list) replaces it.
  const tickedKey = `${profile.id}:${setup.ticked.join(',')}`;
  const [optimistic, setOptimistic] = useState<{ key: string; ticks: Partial<Record<string, boolean>> }>({
    key: tickedKey,
    ticks: {},
  });
  const localTicks = optimistic.key === tickedKey ? optimistic.ticks : {};
  const ticked = new Set<string>(setup.ticked);
  const isTicked = (id: string): boolean => localTicks[id] ?? ticked.has(id);
  const restriction = restrictionState(profile.setup, now);
  const time = (iso: string) =>
    new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

  return (
    <Card className={styles.card} aria-labelledby="setup-title" data-setup={done ? 'done' : 'open'}>
      <CardHeader
        image={<WrenchRegular fontSize={20} />}
        header={
          <span className={styles.actions}>
            <Text as="h2" id="setup-title" weight="semibold" size={400}>
              {t('setup.title')}
            </Text>
            {done ? (
              <Badge appearance="tint" color="success" icon={<CheckmarkCircleFilled />} data-setup-state="done">
                {t('setup.done')}
              </Badge>
            ) : (
              <Badge appearance="tint" color="informative" data-setup-state="open">
                {t('setup.openSteps', { count: open.length })}
              </Badge>
            )}
            {restriction.kind === 'pending' ? (
              <Badge appearance="tint" color="warning" data-setup-state="restriction-pending">
                {t('setup.restriction.pendingBadge', { time: time(restriction.since) })}
              </Badge>
            ) : null}
          </span>
        }
        description={<Text className={styles.muted}>{t(`setup.intro.${signInKindOf(profile.accountType)}`)}</Text>}
        action={
          <Button
            appearance="subtle"
            icon={expanded ? <ChevronUpRegular /> : <ChevronDownRegular />}
            aria-expanded={expanded}
            aria-controls="setup-body"
            onClick={() => setExpandedFor({ id: profile.id, open: !expanded })}
          >
            {expanded ? t('setup.collapse') : t('setup.expand')}
          </Button>
        }
      />
      {error ? (
        <MessageBar intent="error">
          <MessageBarBody>{errorText(t, error)}</MessageBarBody>
        </MessageBar>
      ) : null}
      {expanded ? (
        <div id="setup-body">
          {done ? (
            <MessageBar intent="success">
              <MessageBarBody>{t('setup.doneText', { time: time(setup.completedAt ?? '') })}</MessageBarBody>
            </MessageBar>
          ) : null}
          <ol className={styles.steps}>
            {steps.map((step, index) => (
              <li key={step.id} className={styles.step} data-setup-step={step.id}>
                <Checkbox
                  className={styles.stepHead}
                  checked={isTicked(step.id)}
                  label={
                    <Text weight="semibold">
                      {index + 1}. {t(`setup.steps.${step.id}.title`)}
                    </Text>
                  }
                  onChange={(_e, data) => {
                    const done = data.checked === true;
                    setOptimistic({ key: tickedKey, ticks: { ...localTicks, [step.id]: done } });
                    void update({ tick: { step: step.id, done } });
                  }}
                />
                <StepBody step={step} profile={profile} onConsent={() => void openConsent()} />
                {step.id === 'restriction' ? (
                  <RestrictionScript
                    profile={profile}
                    setup={setup}
                    state={restriction}
                    time={time}
                    testing={testing}
                    onObjectId={(value) => {
                      if (value === '' || Guid.safeParse(value).success) void update({ servicePrincipalObjectId: value });
                    }}
                    onControlMailbox={(value) => {
                      if (value === '' || MailAddress.safeParse(value).success) void update({ controlMailbox: value });
                    }}
                    onDone={() => void update({ restrictionDone: true })}
                    onProbe={() => onProbe(setup.controlMailbox)}
                  />
                ) : null}
              </li>
            ))}
          </ol>
        </div>
      ) : null}
    </Card>
  );
}

function StepBody({
  step,
  profile,
  onConsent,
}: {
  step: SetupStep;
  profile: ProfileView;
  onConsent: () => void;
}): React.JSX.Element {
  const styles = useStyles();
  const { t } = useTranslation();
  const kind = signInKindOf(profile.accountType);
  const body =
    step.id === 'mailbox' || step.id === 'admin-consent' ? `setup.steps.${step.id}.body_${kind}` : `setup.steps.${step.id}.body`;
  return (
    <>
      <Text>{t(body, { ...step.params, tenant: profile.tenant })}</Text>
      {step.copy.map((item) => (
        <span key={`${item.label}:${item.value}`} className={styles.copyRow} data-copy={item.label}>
          <code className={styles.value}>{item.value}</code>
          <CopyButton value={item.value} label={t(`setup.copyLabel.${item.label}`)} />
        </span>
      ))}
      {step.permissions ? (
        <ul className={styles.perms} aria-label={t('setup.permissionsLabel')}>
          {step.permissions.map((p) => (
            <li key={p.name} data-permission={`${p.type}:${p.name}`}>
              <code>{p.name}</code> · {t(`setup.permissionType.${p.type}`)}
              {p.onlyFor ? ` · ${t('setup.onlyForLargeAttachments')}` : ''}
            </li>
          ))}
        </ul>
      ) : null}
      {step.adminConsent ? (
        <span className={styles.actions}>
          <Badge
            appearance="outline"
            color={step.adminConsent.required ? 'danger' : 'informative'}
            data-consent-required={step.adminConsent.required}
          >
            {step.adminConsent.required ? t('setup.consentRequired') : t('setup.consentOptional')}
          </Badge>
          {step.adminConsent.url ? (
            <Button size="small" icon={<OpenRegular />} onClick={onConsent}>
              {t('setup.openConsent')}
            </Button>
          ) : null}
          <HelpLink topic="admin-consent" />
        </span>
      ) : null}
      {step.id === 'api-permissions' && kind === 'app-only' ? (
        <Text className={styles.muted}>{t('setup.steps.api-permissions.rbacNote')}</Text>
      ) : null}
      {step.id === 'client-secret' ? (
        <span className={styles.actions}>
          <HelpLink topic="client-secret" />
        </span>
      ) : null}
    </>
  );
}

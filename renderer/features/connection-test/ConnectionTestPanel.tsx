import {
  Button,
  Card,
  CardHeader,
  Checkbox,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import {
  CheckmarkCircleFilled,
  CircleRegular,
  DismissCircleFilled,
  PlugConnectedRegular,
  SubtractCircleRegular,
  WarningFilled,
} from '@fluentui/react-icons';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProfileView } from '../../../shared/domain';
import type { TestStep } from '../../../shared/ipc/contract';
import { CopyButton } from '../../components/CopyButton';
import { supportText } from './copy-details';
import type { TestOptions } from './useConnectionTest';

const useStyles = makeStyles({
  card: { maxWidth: '820px' },
  options: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  optionRow: { display: 'grid', gridTemplateColumns: '300px 1fr', alignItems: 'center', gap: tokens.spacingHorizontalM },
  steps: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
  },
  step: {
    display: 'grid',
    gridTemplateColumns: '24px 1fr auto',
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalXS} 0`,
    borderTop: `1px solid ${tokens.colorNeutralStroke3}`,
  },
  icon: { paddingTop: '2px', fontSize: '18px' },
  ok: { color: tokens.colorStatusSuccessForeground1 },
  warning: { color: tokens.colorStatusWarningForeground1 },
  failed: { color: tokens.colorStatusDangerForeground1 },
  muted: { color: tokens.colorNeutralForeground3 },
  body: { display: 'flex', flexDirection: 'column', gap: '2px', minWidth: 0 },
  advice: { color: tokens.colorNeutralForeground2 },
  facts: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    color: tokens.colorNeutralForeground3,
    wordBreak: 'break-all',
  },
  right: { display: 'flex', alignItems: 'flex-start', gap: tokens.spacingHorizontalS, color: tokens.colorNeutralForeground3 },
});

function StepIcon({ status }: { status: TestStep['status'] }): React.JSX.Element {
  const styles = useStyles();
  switch (status) {
    case 'ok':
      return <CheckmarkCircleFilled className={styles.ok} />;
    case 'warning':
      return <WarningFilled className={styles.warning} />;
    case 'failed':
      return <DismissCircleFilled className={styles.failed} />;
    case 'running':
      return <Spinner size="extra-tiny" />;
    case 'skipped':
      return <SubtractCircleRegular className={styles.muted} />;
    case 'pending':
      return <CircleRegular className={styles.muted} />;
  }
}

export function ConnectionTestPanel(props: {
  profile: ProfileView;
  options: TestOptions;
  onOptions: (options: TestOptions) => void;
  steps: TestStep[];
  finishedAt: string | null;
  running: boolean;
  disabledReason: string | null;
  onRun: () => void;
}): React.JSX.Element {
  const styles = useStyles();
  const { t } = useTranslation();
  const { options, onOptions, profile } = props;
  const isSecretType = profile.accountType === 'client-secret';
  const card = useRef<HTMLDivElement>(null);
  // A test started from the toolbar must be seen: bring the results into view.
  useEffect(() => {
    if (props.running) card.current?.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
  }, [props.running]);
  return (
    <div ref={card}>
      <Card className={styles.card} aria-labelledby="test-title">
        <CardHeader
          header={
            <Text as="h3" id="test-title" weight="semibold" size={400}>
              {t('test.title')}
            </Text>
          }
        />
        <div className={styles.options}>
          <div className={styles.optionRow}>
            <Checkbox
              label={t('test.sendMessage')}
              checked={options.sendTestMessage}
              onChange={(_e, d) => onOptions({ ...options, sendTestMessage: d.checked === true })}
            />
            <Input
              aria-label={t('test.recipient')}
              type="email"
              disabled={!options.sendTestMessage}
              value={options.testMessageTo}
              onChange={(_e, d) => onOptions({ ...options, testMessageTo: d.value })}
            />
          </div>
          {isSecretType ? (
            <div className={styles.optionRow}>
              <Checkbox
                label={t('test.probe')}
                checked={options.probe}
                onChange={(_e, d) => onOptions({ ...options, probe: d.checked === true })}
              />
              <Field hint={t('test.probeHint')}>
                <Input
                  aria-label={t('test.probeMailbox')}
                  type="email"
                  disabled={!options.probe}
                  placeholder={t('test.probePlaceholder')}
                  value={options.probeMailbox}
                  onChange={(_e, d) => onOptions({ ...options, probeMailbox: d.value })}
                />
              </Field>
            </div>
          ) : null}
          <div>
            <Button
              appearance="primary"
              icon={props.running ? <Spinner size="tiny" /> : <PlugConnectedRegular />}
              disabled={props.running || props.disabledReason !== null}
              onClick={props.onRun}
            >
              {props.running ? t('test.running') : t('toolbar.test')}
            </Button>
            {props.disabledReason !== null ? <Text className={styles.muted}> {props.disabledReason}</Text> : null}
          </div>
        </div>
        {props.steps.length > 0 ? (
          <ol className={styles.steps} aria-label={t('test.steps')}>
            {props.steps.map((step) => (
              <li
                key={step.id}
                className={styles.step}
                data-step={step.id}
                data-status={step.status}
                aria-label={`${t(`steps.label.${step.id}`)}: ${t(`test.status.${step.status}`)}`}
              >
                <span className={styles.icon}>
                  <StepIcon status={step.status} />
                </span>
                <div className={styles.body}>
                  <Text weight="semibold">{t(`steps.label.${step.id}`)}</Text>
                  {step.messageKey ? <Text data-part="message">{t(step.messageKey, step.params)}</Text> : null}
                  {step.adviceKey && (step.status === 'failed' || step.status === 'warning') ? (
                    <Text className={styles.advice} data-part="advice">
                      {t(step.adviceKey, step.params)}
                    </Text>
                  ) : null}
                  {step.code ? (
                    <Text className={styles.facts} data-part="facts">
                      {[
                        step.code,
                        step.httpStatus !== null ? `HTTP ${step.httpStatus}` : null,
                        step.correlationId ? `Correlation ID ${step.correlationId}` : null,
                        step.requestId ? `Request ID ${step.requestId}` : null,
                        step.timestamp,
                      ]
                        .filter(Boolean)
                        .join(' · ')}
                    </Text>
                  ) : null}
                </div>
                <div className={styles.right}>
                  {step.durationMs !== null ? (
                    <Text size={200}>{t('test.duration', { ms: String(step.durationMs) })}</Text>
                  ) : null}
                  {step.status === 'failed' || step.status === 'warning' ? (
                    <CopyButton
                      value={supportText((k, p) => t(k, p ?? {}), profile.name, step, props.finishedAt)}
                      label={t('test.details')}
                    />
                  ) : null}
                </div>
              </li>
            ))}
          </ol>
        ) : null}
        {props.steps.some((s) => s.id === 'send' && s.status === 'ok') ? (
          <MessageBar intent="info">
            <MessageBarBody>{t('test.acceptedNotDelivered')}</MessageBarBody>
          </MessageBar>
        ) : null}
      </Card>
    </div>
  );
}

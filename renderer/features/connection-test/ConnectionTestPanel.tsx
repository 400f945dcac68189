import {
  Button,
  Card,
  CardHeader,
  Checkbox,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { PlugConnectedRegular } from '@fluentui/react-icons';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { isAppOnlyType, type ProfileView } from '../../../shared/domain';
import type { AppErrorDto } from '../../../shared/errors';
import type { TestStep } from '../../../shared/ipc/contract';
import { errorText } from '../../i18n/error-text';
import { reportRows } from './report-rows';
import { RestRow, StepRow } from './StepRow';
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
  muted: { color: tokens.colorNeutralForeground3 },
});

export function ConnectionTestPanel(props: {
  profile: ProfileView;
  options: TestOptions;
  onOptions: (options: TestOptions) => void;
  steps: TestStep[];
  finishedAt: string | null;
  running: boolean;
  /** The run itself was refused (e.g. a profile deleted elsewhere, unreadable storage): no steps to show. */
  error: AppErrorDto | null;
  disabledReason: string | null;
  onRun: () => void;
}): React.JSX.Element {
  const styles = useStyles();
  const { t } = useTranslation();
  const { options, onOptions, profile } = props;
  // The restriction probe is for app-only profiles (secret or certificate): a delegated token is the user's own.
  const isSecretType = isAppOnlyType(profile.accountType);
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
        {props.error ? (
          <MessageBar intent="error" role="alert" layout="multiline" data-test-error={props.error.code}>
            <MessageBarBody>
              <MessageBarTitle>{t('test.notRun')}</MessageBarTitle>
              {errorText(t, props.error)}
            </MessageBarBody>
          </MessageBar>
        ) : null}
        {props.steps.length > 0 ? (
          <ol className={styles.steps} aria-label={t('test.steps')}>
            {reportRows(props.steps).map((row) =>
              row.kind === 'rest' ? (
                <RestRow key={`rest-${row.steps[0]?.id ?? ''}`} steps={row.steps} reasonKey={row.reasonKey} />
              ) : (
                <StepRow key={row.step.id} step={row.step} profileName={profile.name} finishedAt={props.finishedAt} />
              ),
            )}
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

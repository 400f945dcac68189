import {
  Card,
  CardHeader,
  Checkbox,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
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
  // Below the sticky mask header when brought into view.
  card: { maxWidth: '820px', scrollMarginTop: '100px' },
  options: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  optionRow: { display: 'grid', gridTemplateColumns: '280px 1fr', alignItems: 'start', gap: tokens.spacingHorizontalM },
  field: { gridTemplateColumns: '150px 1fr' },
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
}): React.JSX.Element {
  const styles = useStyles();
  const { t } = useTranslation();
  const { options, onOptions, profile } = props;
  // The restriction probe is for app-only profiles (secret or certificate): a delegated token is the user's own.
  const isSecretType = isAppOnlyType(profile.accountType);
  const card = useRef<HTMLDivElement>(null);
  // A test started from the toolbar must be seen: its steps come up under the sticky title and its outcome.
  // It follows each arriving step, since the card grows while it runs; the last follow is the report itself.
  const following = useRef(false);
  const stepCount = props.steps.length;
  useEffect(() => {
    if (props.running) following.current = true;
    if (!following.current) return;
    card.current?.scrollIntoView({ block: 'start' });
    if (!props.running) following.current = false;
  }, [props.running, stepCount]);
  return (
    <div ref={card} className={styles.card}>
      <Card aria-labelledby="test-title">
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
            <Field className={styles.field} orientation="horizontal" label={t('test.recipient')}>
              <Input
                type="email"
                disabled={!options.sendTestMessage}
                value={options.testMessageTo}
                onChange={(_e, d) => onOptions({ ...options, testMessageTo: d.value })}
              />
            </Field>
          </div>
          {isSecretType ? (
            <div className={styles.optionRow}>
              <Checkbox
                label={t('test.probe')}
                checked={options.probe}
                onChange={(_e, d) => onOptions({ ...options, probe: d.checked === true })}
              />
              <Field className={styles.field} orientation="horizontal" label={t('test.probeMailbox')} hint={t('test.probeHint')}>
                <Input
                  type="email"
                  disabled={!options.probe}
                  placeholder={t('test.probePlaceholder')}
                  value={options.probeMailbox}
                  onChange={(_e, d) => onOptions({ ...options, probeMailbox: d.value })}
                />
              </Field>
            </div>
          ) : null}
          {/* "Verbindung testen" lives in the toolbar only: one place for each action. */}
          {props.disabledReason !== null ? <Text className={styles.muted}>{props.disabledReason}</Text> : null}
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

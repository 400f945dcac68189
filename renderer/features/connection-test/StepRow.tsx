import { Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import {
  CheckmarkCircleFilled,
  CircleRegular,
  DismissCircleFilled,
  SubtractCircleRegular,
  WarningFilled,
} from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import type { TestStep } from '../../../shared/ipc/contract';
import { localizeDayParams } from '../../../shared/relative-days';
import { CopyButton } from '../../components/CopyButton';
import { IdChip } from '../../components/IdChip';
import { supportText } from './copy-details';

const useStyles = makeStyles({
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
  facts: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  // Codes break at their separators (spaces, hyphens), never inside a word.
  factText: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground3 },
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

/** One step: status words first, then the fix, then the raw code and ids for Microsoft support. */
const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/;

/** Moments and day counts arrive as ISO strings and numbers from the core; the admin reads them in their own words. */
export function localizeParams(params: Record<string, string>, language: string): Record<string, string> {
  const format = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
  const dated = Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k, ISO_INSTANT.test(v) ? format.format(new Date(v)) : v]),
  );
  return localizeDayParams(dated, language);
}

export function StepRow({
  step,
  profileName,
  finishedAt,
}: {
  step: TestStep;
  profileName: string;
  finishedAt: string | null;
}): React.JSX.Element {
  const styles = useStyles();
  const { t, i18n } = useTranslation();
  const params = localizeParams(step.params, i18n.language);
  const facts = [step.code, step.httpStatus !== null ? `HTTP ${step.httpStatus}` : null, step.timestamp].filter(Boolean);
  return (
    <li
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
        {step.messageKey ? <Text data-part="message">{t(step.messageKey, params)}</Text> : null}
        {step.adviceKey && (step.status === 'failed' || step.status === 'warning') ? (
          <Text className={styles.advice} data-part="advice">
            {t(step.adviceKey, params)}
          </Text>
        ) : null}
        {/* A skipped step is no finding: a raw code there would read as one. */}
        {step.status !== 'skipped' && (step.code || step.correlationId || step.requestId) ? (
          <div className={styles.facts} data-part="facts">
            {facts.length > 0 ? <Text className={styles.factText}>{facts.join(' · ')}</Text> : null}
            {step.correlationId ? <IdChip label="Correlation ID" value={step.correlationId} /> : null}
            {step.requestId ? <IdChip label="Request ID" value={step.requestId} /> : null}
          </div>
        ) : null}
      </div>
      <div className={styles.right}>
        {step.durationMs !== null ? <Text size={200}>{t('test.duration', { ms: String(step.durationMs) })}</Text> : null}
        {step.status === 'failed' || step.status === 'warning' ? (
          <CopyButton
            value={supportText((k, p) => t(k, p ?? {}), profileName, { ...step, params }, finishedAt)}
            label={t('test.details')}
          />
        ) : null}
      </div>
    </li>
  );
}

/** The steps that could not run, for one reason, as one line; each keeps its marker for tools and tests. */
export function RestRow({ steps, reasonKey }: { steps: TestStep[]; reasonKey: string }): React.JSX.Element {
  const styles = useStyles();
  const { t, i18n } = useTranslation();
  const names = new Intl.ListFormat(i18n.language, { type: 'conjunction' }).format(steps.map((s) => t(`steps.label.${s.id}`)));
  const label = t('steps.label.rest', { steps: names });
  return (
    <li className={styles.step} data-step="rest" data-status="skipped" aria-label={`${label}: ${t('test.status.skipped')}`}>
      <span className={styles.icon}>
        <StepIcon status="skipped" />
      </span>
      <div className={styles.body}>
        <Text weight="semibold">{label}</Text>
        <Text data-part="message">{t(reasonKey)}</Text>
        {steps.map((s) => (
          <span key={s.id} hidden data-step={s.id} data-status={s.status} />
        ))}
      </div>
      <div className={styles.right} />
    </li>
  );
}

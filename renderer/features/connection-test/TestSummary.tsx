import { Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import { CheckmarkCircleFilled, DismissCircleFilled, WarningFilled } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import type { TestReport, TestStep } from '../../../shared/ipc/contract';

const useStyles = makeStyles({
  root: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalXS, minWidth: 0 },
  ok: { color: tokens.colorStatusSuccessForeground1 },
  warning: { color: tokens.colorStatusWarningForeground1 },
  failed: { color: tokens.colorStatusDangerForeground1 },
  text: { whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' },
});

/** The test's answer in one line beside the profile's title: the running step, then the outcome and its first finding. */
export function TestSummary({
  steps,
  running,
  report,
}: {
  steps: TestStep[];
  running: boolean;
  report: TestReport | null;
}): React.JSX.Element | null {
  const styles = useStyles();
  const { t } = useTranslation();
  const label = (step: TestStep | undefined): string => (step ? t(`steps.label.${step.id}`) : '');
  let state: 'running' | TestReport['outcome'];
  let text: string;
  if (running) {
    const current = steps.find((s) => s.status === 'running');
    state = 'running';
    text = current ? t('test.summary.running', { step: label(current) }) : t('test.running');
  } else if (report) {
    state = report.outcome;
    const finding = report.steps.find((s) => s.status === report.outcome);
    text = state === 'ok' ? t('test.summary.ok') : t(`test.summary.${state}`, { step: label(finding) });
  } else {
    return null;
  }
  return (
    // A live region without role="status": the save toast owns that role.
    <span className={styles.root} aria-live="polite" data-test-summary={state}>
      {state === 'running' ? <Spinner size="extra-tiny" /> : null}
      {state === 'ok' ? <CheckmarkCircleFilled className={styles.ok} /> : null}
      {state === 'warning' ? <WarningFilled className={styles.warning} /> : null}
      {state === 'failed' ? <DismissCircleFilled className={styles.failed} /> : null}
      <Text className={styles.text}>{text}</Text>
    </span>
  );
}

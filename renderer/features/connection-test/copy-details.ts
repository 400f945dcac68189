import type { TestStep } from '../../../shared/ipc/contract';

type Translate = (key: string, params?: Record<string, string>) => string;

/**
 * The support-ready text block behind "Kopieren": what failed, what it means, and the ids Microsoft
 * support asks for. Everything in a step is already redacted by the core.
 */
export function supportText(t: Translate, profileName: string, step: TestStep, finishedAt: string | null): string {
  const lines = [
    `Absender – ${t('test.title')}: ${profileName}`,
    `${t(`steps.label.${step.id}`)}: ${t(`test.status.${step.status}`)}`,
  ];
  if (step.messageKey) lines.push(t(step.messageKey, step.params));
  if (step.adviceKey) lines.push(t(step.adviceKey, step.params));
  const facts: Array<[string, string | number | null]> = [
    ['Code', step.code],
    ['HTTP', step.httpStatus],
    ['Correlation ID', step.correlationId],
    ['Request ID', step.requestId],
    ['Timestamp', step.timestamp ?? finishedAt],
    ['Details', step.detail],
  ];
  for (const [label, value] of facts) if (value !== null && value !== '') lines.push(`${label}: ${String(value)}`);
  return lines.join('\n');
}

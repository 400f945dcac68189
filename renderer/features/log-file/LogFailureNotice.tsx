import { MessageBar, MessageBarBody } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppInfo } from '../../../shared/domain';
import { onEvent } from '../../api';

/** The log file could not be written: found at start-up (app.info) or later while the app runs (event), shown once. */
export function LogFailureNotice({ initial }: { initial: AppInfo['log'] }): React.JSX.Element | null {
  const { t } = useTranslation();
  const [log, setLog] = useState(initial);
  useEffect(() => onEvent('app.logFailure', setLog), []);
  if (!log?.failure) return null;
  return (
    <MessageBar intent="warning" layout="multiline" data-log-failure={log.failure.code}>
      <MessageBarBody>
        {t('logFile.failed', { path: log.path, reason: t(`storageReason.${log.failure.reason}`), code: log.failure.code })}
      </MessageBarBody>
    </MessageBar>
  );
}

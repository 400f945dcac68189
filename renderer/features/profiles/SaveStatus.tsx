import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { Status } from './useProfileEditor';

export function SaveStatus({ status }: { status: Status }): React.JSX.Element | null {
  const { t } = useTranslation();
  switch (status.kind) {
    case 'idle':
    case 'busy':
      return null;
    case 'saved':
      return (
        <MessageBar intent="success" role="status">
          <MessageBarBody>{t('status.saved', { name: status.name })}</MessageBarBody>
        </MessageBar>
      );
    case 'error':
      return (
        <MessageBar intent="error" role="alert" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{t('status.failed')}</MessageBarTitle>
            {t(`errors.${status.error.code}`, {
              ...status.error.params,
              // The core names the cause by a code; the admin reads it in their language.
              ...(status.error.params['reason'] !== undefined
                ? { reason: t(`storageReason.${status.error.params['reason']}`) }
                : {}),
            })}
          </MessageBarBody>
        </MessageBar>
      );
  }
}

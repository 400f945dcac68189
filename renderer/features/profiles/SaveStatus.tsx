import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../i18n/error-text';
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
            {errorText(t, status.error)}
          </MessageBarBody>
        </MessageBar>
      );
  }
}

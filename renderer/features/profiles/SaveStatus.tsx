import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { DismissRegular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSuccessToast } from '../../components/toasts';
import { errorText } from '../../i18n/error-text';
import type { Status } from './useProfileEditor';

/** "Saved" is a toast that goes away; a failed save stays until the admin dismisses it. */
export function SaveStatus({ status }: { status: Status }): React.JSX.Element | null {
  const { t } = useTranslation();
  const toast = useSuccessToast();
  const [dismissed, setDismissed] = useState<Status | null>(null);
  const savedName = status.kind === 'saved' ? status.name : null;
  useEffect(() => {
    if (savedName !== null) toast('saved', t('status.saved', { name: savedName }));
    // Each save is a new status object: the toast is said again for the second save of the same name.
  }, [status, savedName, t, toast]);
  if (status.kind !== 'error' || dismissed === status) return null;
  return (
    <MessageBar intent="error" role="alert" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{t('status.failed')}</MessageBarTitle>
        {errorText(t, status.error)}
      </MessageBarBody>
      <MessageBarActions
        containerAction={
          <Button
            appearance="transparent"
            aria-label={t('actions.dismiss')}
            icon={<DismissRegular />}
            onClick={() => setDismissed(status)}
          />
        }
      />
    </MessageBar>
  );
}

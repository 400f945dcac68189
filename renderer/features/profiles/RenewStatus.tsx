import { MessageBar, MessageBarBody } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { RenewState } from './useSecretRenewal';

/** How the last renewal ended: the new secret is in use (delete the old one in Entra), or the old one stays. */
export function RenewStatus({ state }: { state: RenewState }): React.JSX.Element | null {
  const { t } = useTranslation();
  if (state.kind !== 'done' && state.kind !== 'failed') return null;
  return (
    <MessageBar intent={state.kind === 'done' ? 'success' : 'error'} role="alert" data-renew={state.kind}>
      <MessageBarBody>
        {state.kind === 'done' ? t('renew.done', { hint: state.hint, old: state.old }) : t('renew.failed')}
      </MessageBarBody>
    </MessageBar>
  );
}

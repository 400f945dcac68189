import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { ProfileView } from '../../../shared/domain';

/** Asks before a saved profile changes account type, naming what the next save removes; cancel leaves all as it was. */
export function AccountTypeDialog({
  profile,
  open,
  onConfirm,
  onCancel,
}: {
  profile: ProfileView | null;
  open: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}): React.JSX.Element {
  const { t } = useTranslation();
  // What the core drops on that save: the client secret (leaving client-secret), the delegated session (any change).
  const losesSecret = profile?.accountType === 'client-secret' && profile.secret.hasSecret;
  const losesCertificate = profile?.accountType === 'client-certificate' && profile.secret.hasSecret;
  const account = profile?.delegated?.username ?? null;
  return (
    <Dialog open={open} modalType="alert" onOpenChange={(_e, d) => !d.open && onCancel()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{t('dialogs.accountType.title')}</DialogTitle>
          <DialogContent>
            {losesSecret || losesCertificate || account !== null ? (
              <>
                <p>{t('dialogs.accountType.body', { name: profile?.name ?? '' })}</p>
                <ul data-part="loses">
                  {losesSecret ? <li>{t('dialogs.accountType.secret', { hint: profile.secret.secretHint ?? '' })}</li> : null}
                  {losesCertificate ? (
                    <li>{t('dialogs.accountType.certificate', { thumbprint: profile.certificate?.thumbprintSha1 ?? '' })}</li>
                  ) : null}
                  {account !== null ? <li>{t('dialogs.accountType.account', { account })}</li> : null}
                </ul>
              </>
            ) : (
              <p>{t('dialogs.accountType.nothing')}</p>
            )}
            <p>{t('dialogs.accountType.keep')}</p>
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={onConfirm}>
              {t('dialogs.accountType.confirm')}
            </Button>
            <Button onClick={onCancel}>{t('dialogs.cancel')}</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

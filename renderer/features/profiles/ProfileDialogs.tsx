import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { ProfileEditor } from './useProfileEditor';

/** The questions the mask may ask: leave with unsaved changes, change a signed-in profile's cloud, delete, store without OS encryption. */
export function ProfileDialogs({ editor }: { editor: ProfileEditor }): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <>
      <Dialog
        open={editor.pendingLeave}
        modalType="alert"
        onOpenChange={(_e, d) => !d.open && void editor.resolveLeave('cancel')}
      >
        <DialogSurface>
          <DialogBody>
            <DialogTitle>{t('dialogs.unsaved.title')}</DialogTitle>
            <DialogContent>{t('dialogs.unsaved.body')}</DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={() => void editor.resolveLeave('save')}>
                {t('dialogs.unsaved.save')}
              </Button>
              <Button onClick={() => void editor.resolveLeave('discard')}>{t('dialogs.unsaved.discard')}</Button>
              <Button onClick={() => void editor.resolveLeave('cancel')}>{t('dialogs.cancel')}</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
      <Dialog open={editor.confirmCloudChange} modalType="alert" onOpenChange={(_e, d) => !d.open && editor.cancelCloudChange()}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>{t('dialogs.cloud.title')}</DialogTitle>
            <DialogContent>
              {t('dialogs.cloud.body', {
                name: editor.current?.name ?? '',
                account: editor.current?.delegated?.username ?? '',
                cloud: t(`cloud.${editor.values.cloud}`),
              })}
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={() => void editor.acceptCloudChange()}>
                {t('dialogs.cloud.confirm')}
              </Button>
              <Button onClick={editor.cancelCloudChange}>{t('dialogs.cancel')}</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
      <Dialog open={editor.confirmDelete} modalType="alert" onOpenChange={(_e, d) => !d.open && editor.cancelDelete()}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>{t('dialogs.delete.title', { name: editor.current?.name ?? '' })}</DialogTitle>
            <DialogContent>{t('dialogs.delete.body')}</DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={() => void editor.remove()}>
                {t('dialogs.delete.confirm')}
              </Button>
              <Button onClick={editor.cancelDelete}>{t('dialogs.cancel')}</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
      <Dialog
        open={editor.weakEncryptionPrompt !== null}
        modalType="alert"
        onOpenChange={(_e, d) => !d.open && editor.declineWeakEncryption()}
      >
        <DialogSurface>
          <DialogBody>
            <DialogTitle>{t('dialogs.weak.title')}</DialogTitle>
            <DialogContent>{t('dialogs.weak.body', { backend: editor.weakEncryptionPrompt ?? '' })}</DialogContent>
            <DialogActions>
              <Button onClick={() => void editor.acceptWeakEncryption()}>{t('dialogs.weak.accept')}</Button>
              <Button appearance="primary" onClick={editor.declineWeakEncryption}>
                {t('dialogs.cancel')}
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </>
  );
}

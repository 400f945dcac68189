import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  SpinButton,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppInfo, Settings } from '../../../shared/domain';
import { api } from '../../api';

const useStyles = makeStyles({ content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL } });

/** The few app-wide settings: keep-alive interval, and revoking the weak-encryption consent. */
export function SettingsDialog(props: {
  open: boolean;
  info: AppInfo;
  onClose: (saved: Settings | null) => void;
}): React.JSX.Element {
  const styles = useStyles();
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Settings | null>(null);
  // Fresh values each time the dialog opens.
  useEffect(() => {
    if (!props.open) return;
    let live = true;
    void api.settings.get().then((s) => {
      if (live) setDraft(s);
    });
    return () => {
      live = false;
    };
  }, [props.open]);
  const save = async (): Promise<void> => {
    if (!draft) return;
    props.onClose(
      await api.settings.update({ keepAliveDays: draft.keepAliveDays, acceptedWeakEncryption: draft.acceptedWeakEncryption }),
    );
  };
  return (
    <Dialog open={props.open} onOpenChange={(_e, d) => !d.open && props.onClose(null)}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{t('settings.title')}</DialogTitle>
          <DialogContent className={styles.content}>
            {draft ? (
              <>
                <Field label={t('settings.keepAlive')} hint={t('settings.keepAliveHint')}>
                  <SpinButton
                    min={1}
                    max={60}
                    value={draft.keepAliveDays}
                    onChange={(_e, d) => {
                      const next = d.value ?? Number.parseInt(d.displayValue ?? '', 10);
                      if (Number.isInteger(next) && next >= 1 && next <= 60) setDraft({ ...draft, keepAliveDays: next });
                    }}
                  />
                </Field>
                {!props.info.encryption.available ? (
                  <Field hint={t('settings.weakHint', { backend: props.info.encryption.backend })}>
                    <Checkbox
                      label={t('settings.weak')}
                      checked={draft.acceptedWeakEncryption}
                      onChange={(_e, d) => setDraft({ ...draft, acceptedWeakEncryption: d.checked === true })}
                    />
                  </Field>
                ) : null}
              </>
            ) : null}
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" disabled={!draft} onClick={() => void save()}>
              {t('toolbar.save')}
            </Button>
            <Button onClick={() => props.onClose(null)}>{t('dialogs.cancel')}</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

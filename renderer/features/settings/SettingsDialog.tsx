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
  Input,
  Radio,
  RadioGroup,
  SpinButton,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProxyUrl, type AppInfo, type Settings } from '../../../shared/domain';
import { api } from '../../api';

const useStyles = makeStyles({ content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL } });

type ProxyChoice = 'system' | 'none' | 'url';

/** The field message for a typed proxy URL (an i18n key), or null when it is valid. */
export function proxyUrlIssue(value: string): string | null {
  const parsed = ProxyUrl.safeParse(value);
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? 'validation.proxyUrl');
}

/** The few app-wide settings: keep-alive interval, the proxy, and revoking the weak-encryption consent. */
export function SettingsDialog(props: {
  open: boolean;
  info: AppInfo;
  onClose: (saved: Settings | null) => void;
}): React.JSX.Element {
  const styles = useStyles();
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Settings | null>(null);
  const [proxyChoice, setProxyChoice] = useState<ProxyChoice>('system');
  const [proxyUrl, setProxyUrl] = useState('');
  // Fresh values each time the dialog opens.
  useEffect(() => {
    if (!props.open) return;
    let live = true;
    void api.settings.get().then((s) => {
      if (!live) return;
      setDraft(s);
      setProxyChoice(s.proxy === 'system' || s.proxy === 'none' ? s.proxy : 'url');
      setProxyUrl(s.proxy === 'system' || s.proxy === 'none' ? '' : s.proxy);
    });
    return () => {
      live = false;
    };
  }, [props.open]);
  const proxyIssue = proxyChoice === 'url' ? proxyUrlIssue(proxyUrl) : null;
  const save = async (): Promise<void> => {
    if (!draft || proxyIssue !== null) return;
    props.onClose(
      await api.settings.update({
        keepAliveDays: draft.keepAliveDays,
        acceptedWeakEncryption: draft.acceptedWeakEncryption,
        proxy: proxyChoice === 'url' ? proxyUrl.trim() : proxyChoice,
      }),
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
                <Field label={t('settings.proxy')} hint={t('settings.proxyHint')}>
                  <RadioGroup value={proxyChoice} onChange={(_e, d) => setProxyChoice(d.value as ProxyChoice)}>
                    <Radio value="system" label={t('settings.proxySystem')} />
                    <Radio value="none" label={t('settings.proxyNone')} />
                    <Radio value="url" label={t('settings.proxyUrl')} />
                  </RadioGroup>
                </Field>
                {proxyChoice === 'url' ? (
                  <Field
                    label={t('settings.proxyUrl')}
                    required
                    validationState={proxyIssue !== null && proxyUrl !== '' ? 'error' : 'none'}
                    validationMessage={proxyIssue !== null && proxyUrl !== '' ? t(proxyIssue) : null}
                  >
                    <Input
                      value={proxyUrl}
                      placeholder={t('settings.proxyUrlPlaceholder')}
                      spellCheck={false}
                      onChange={(_e, d) => setProxyUrl(d.value)}
                    />
                  </Field>
                ) : null}
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
            <Button appearance="primary" disabled={!draft || proxyIssue !== null} onClick={() => void save()}>
              {t('toolbar.save')}
            </Button>
            <Button onClick={() => props.onClose(null)}>{t('dialogs.cancel')}</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

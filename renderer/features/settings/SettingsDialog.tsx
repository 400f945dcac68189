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
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_SIGN_IN_HOSTS, ProxyUrl, SignInHost, type AppInfo, type Settings } from '../../../shared/domain';
import { api } from '../../api';

const useStyles = makeStyles({ content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL } });

type ProxyChoice = 'system' | 'none' | 'url';

/** The field message for a typed proxy URL (an i18n key), or null when it is valid. */
export function proxyUrlIssue(value: string): string | null {
  const parsed = ProxyUrl.safeParse(value);
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? 'validation.proxyUrl');
}

/** The typed extra sign-in hosts (one a line, blank lines ignored): their canonical form, or the first line's issue. */
export function parseSignInHosts(text: string): { hosts: string[] } | { line: number | null; issue: string } {
  const hosts: string[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    if (raw.trim() === '') continue;
    const parsed = SignInHost.safeParse(raw);
    if (!parsed.success) return { line: index + 1, issue: parsed.error.issues[0]?.message ?? 'validation.signInHostFormat' };
    if (!hosts.includes(parsed.data)) hosts.push(parsed.data);
  }
  return hosts.length > MAX_SIGN_IN_HOSTS ? { line: null, issue: 'validation.signInHostsTooMany' } : { hosts };
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
  const [hostsText, setHostsText] = useState('');
  // Fresh values each time the dialog opens.
  useEffect(() => {
    if (!props.open) return;
    let live = true;
    void api.settings.get().then((s) => {
      if (!live) return;
      setDraft(s);
      setProxyChoice(s.proxy === 'system' || s.proxy === 'none' ? s.proxy : 'url');
      setProxyUrl(s.proxy === 'system' || s.proxy === 'none' ? '' : s.proxy);
      setHostsText(s.signInHosts.join('\n'));
    });
    return () => {
      live = false;
    };
  }, [props.open]);
  const proxyIssue = proxyChoice === 'url' ? proxyUrlIssue(proxyUrl) : null;
  const hosts = parseSignInHosts(hostsText);
  const hostsIssue =
    'issue' in hosts
      ? hosts.line === null
        ? t(hosts.issue)
        : t('settings.signInHostsLine', { line: hosts.line, issue: t(hosts.issue) })
      : null;
  const save = async (): Promise<void> => {
    if (!draft || proxyIssue !== null || 'issue' in hosts) return;
    props.onClose(
      await api.settings.update({
        keepAliveDays: draft.keepAliveDays,
        acceptedWeakEncryption: draft.acceptedWeakEncryption,
        proxy: proxyChoice === 'url' ? proxyUrl.trim() : proxyChoice,
        signInHosts: hosts.hosts,
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
                <Field
                  label={t('settings.signInHosts')}
                  hint={t('settings.signInHostsHint')}
                  validationState={hostsIssue !== null ? 'error' : 'none'}
                  validationMessage={hostsIssue}
                >
                  <Textarea
                    value={hostsText}
                    placeholder={t('settings.signInHostsPlaceholder')}
                    spellCheck={false}
                    resize="vertical"
                    onChange={(_e, d) => setHostsText(d.value)}
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
            <Button
              appearance="primary"
              disabled={!draft || proxyIssue !== null || hostsIssue !== null}
              onClick={() => void save()}
            >
              {t('toolbar.save')}
            </Button>
            <Button onClick={() => props.onClose(null)}>{t('dialogs.cancel')}</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

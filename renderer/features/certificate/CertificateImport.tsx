import { Button, Field, Input, MessageBar, MessageBarBody, Text, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowImportRegular, FolderOpenRegular } from '@fluentui/react-icons';
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProfileView } from '../../../shared/domain';
import type { AppErrorDto } from '../../../shared/errors';
import { api, ApiError } from '../../api';
import { errorText } from '../../i18n/error-text';
import { importFileOf } from './certificate-files';

const useStyles = makeStyles({
  box: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, maxWidth: '560px' },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'end', flexWrap: 'wrap' },
  note: { color: tokens.colorNeutralForeground3, alignSelf: 'center' },
});

/**
 * Import a PFX/PKCS#12, or a PEM key + certificate. The key passes to the core once: it is read from the
 * chosen files at the click, never kept in React state, and the file choice and password are cleared after.
 */
export function CertificateImport(props: {
  profile: ProfileView;
  revision: number;
  slot: 'current' | 'next';
  onSaved: (profile: ProfileView) => void;
}): React.JSX.Element {
  const styles = useStyles();
  const { t } = useTranslation();
  const fileId = useId();
  const files = useRef<HTMLInputElement>(null);
  // Uncontrolled: the password lives in the input element only, and is emptied after the request.
  const password = useRef<HTMLInputElement>(null);
  // The chosen files' names (not their content): Chromium's own picker text would not follow the app's language.
  const [chosen, setChosen] = useState<string[]>([]);
  // A new generation mounts empty inputs: Fluent's Input keeps its own value, which a DOM write does not reset.
  const [generation, setGeneration] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppErrorDto | null>(null);

  const clear = (): void => {
    if (files.current) files.current.value = '';
    if (password.current) password.current.value = '';
    setGeneration((g) => g + 1);
    setChosen([]);
  };

  const submit = async (): Promise<void> => {
    const list = Array.from(files.current?.files ?? []);
    setBusy(true);
    setError(null);
    try {
      const file = await importFileOf(list, password.current?.value ?? '');
      if (file === null) {
        setError({ code: 'certificate-unreadable', params: {} });
        return;
      }
      const saved = await api.certificates.import({
        profileId: props.profile.id,
        revision: props.revision,
        slot: props.slot,
        file,
      });
      props.onSaved(saved);
    } catch (e) {
      setError(e instanceof ApiError ? e.dto : { code: 'internal', params: {} });
    } finally {
      // Refused or stored: the key and the password leave the page either way (asked once, never kept).
      clear();
      setBusy(false);
    }
  };

  return (
    <div className={styles.box} data-certificate-import={props.slot}>
      <div className={styles.row}>
        <Field label={t('certificate.importFiles')} hint={t('certificate.importHint')}>
          <div className={styles.row}>
            <input
              key={generation}
              id={fileId}
              ref={files}
              type="file"
              multiple
              hidden
              accept=".pfx,.p12,.pem,.key,.cer,.crt"
              onChange={(e) => {
                setChosen(Array.from(e.target.files ?? [], (f) => f.name));
                setError(null);
              }}
            />
            <Button icon={<FolderOpenRegular />} onClick={() => files.current?.click()}>
              {t('certificate.chooseFiles')}
            </Button>
            <Text className={styles.note}>{chosen.length === 0 ? t('certificate.noFile') : chosen.join(', ')}</Text>
          </div>
        </Field>
      </div>
      <div className={styles.row}>
        <Field label={t('certificate.password')} hint={t('certificate.passwordHint')}>
          <Input key={generation} input={{ ref: password }} type="password" autoComplete="off" />
        </Field>
        <Button icon={<ArrowImportRegular />} disabled={chosen.length === 0 || busy} onClick={() => void submit()}>
          {busy ? t('certificate.importing') : t('certificate.import')}
        </Button>
      </div>
      {error ? (
        <MessageBar intent="error" layout="multiline" data-import-error={error.code}>
          <MessageBarBody>{errorText(t, error)}</MessageBarBody>
        </MessageBar>
      ) : null}
    </div>
  );
}

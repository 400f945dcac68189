import { Button, Field, MessageBar, MessageBarBody, Select, Text, makeStyles, tokens } from '@fluentui/react-components';
import { CertificateRegular, CheckmarkRegular, CopyRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppErrorDto } from '../../../shared/errors';
import { api, ApiError } from '../../api';
import { CopyButton } from '../../components/CopyButton';
import { errorText } from '../../i18n/error-text';
import type { ProfileEditor } from '../profiles/useProfileEditor';

const useStyles = makeStyles({
  field: { gridTemplateColumns: '230px 1fr' },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
  thumbprint: { fontFamily: tokens.fontFamilyMonospace, wordBreak: 'break-all' },
  note: { color: tokens.colorNeutralForeground3 },
});

/** Validity choices in months (Entra accepts any; Absender caps at two years). */
const VALIDITY_MONTHS = [6, 12, 24] as const;
const DAYS_OF: Record<(typeof VALIDITY_MONTHS)[number], number> = { 6: 182, 12: 365, 24: 730 };

/**
 * The certificate of a "with certificate" profile: create it here (the key stays in the vault), then copy
 * the certificate and its SHA-256 thumbprint for Entra's "Upload certificate".
 */
export function CertificatePanel({ editor }: { editor: ProfileEditor }): React.JSX.Element {
  const styles = useStyles();
  const { t, i18n } = useTranslation();
  const [months, setMonths] = useState<(typeof VALIDITY_MONTHS)[number]>(12);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppErrorDto | null>(null);
  const [copied, setCopied] = useState(false);
  // Through main, as every copy: the renderer has no clipboard permission (the certificate is public).
  const copyPem = async (pem: string): Promise<void> => {
    await api.app.copy({ text: pem });
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  const current = editor.current?.accountType === 'client-certificate' ? editor.current : null;
  const certificate = current?.certificate;

  const create = async (): Promise<void> => {
    if (!current) return;
    setBusy(true);
    setError(null);
    try {
      const saved = await api.certificates.create({
        profileId: current.id,
        revision: editor.baseRevision ?? current.revision,
        validityDays: DAYS_OF[months],
      });
      editor.adoptRenewal(saved);
    } catch (e) {
      setError(e instanceof ApiError ? e.dto : { code: 'internal', params: {} });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Field className={styles.field} orientation="horizontal" label={t('certificate.label')} hint={t('certificate.why')}>
      {!current ? (
        <Text className={styles.note}>{t('certificate.saveFirst')}</Text>
      ) : certificate ? (
        <div>
          <div className={styles.row}>
            <Text>{t('certificate.thumbprint')}:</Text>
            <Text className={styles.thumbprint} data-testid="certificate-thumbprint">
              {certificate.thumbprintSha256}
            </Text>
            <CopyButton value={certificate.thumbprintSha256} label={t('certificate.thumbprint')} />
          </div>
          <div className={styles.row}>
            {/* A labelled button: an icon alone would not say that this copies the whole certificate. */}
            <Button icon={copied ? <CheckmarkRegular /> : <CopyRegular />} onClick={() => void copyPem(certificate.certPem)}>
              {copied ? t('actions.copied') : t('actions.copyNamed', { name: t('certificate.pem') })}
            </Button>
          </div>
          <Text className={styles.note}>
            {t('certificate.details', {
              subject: certificate.subject,
              date: new Date(certificate.notAfter).toLocaleDateString(i18n.language),
            })}
          </Text>
          <MessageBar intent="info" layout="multiline">
            <MessageBarBody>{t('certificate.upload')}</MessageBarBody>
          </MessageBar>
        </div>
      ) : (
        <div className={styles.row}>
          <Select
            aria-label={t('certificate.validity')}
            value={String(months)}
            onChange={(_e, data) => setMonths(Number(data.value) === 6 ? 6 : Number(data.value) === 24 ? 24 : 12)}
          >
            {VALIDITY_MONTHS.map((m) => (
              <option key={m} value={m}>
                {t('certificate.months', { count: m })}
              </option>
            ))}
          </Select>
          <Button appearance="primary" icon={<CertificateRegular />} disabled={busy} onClick={() => void create()}>
            {busy ? t('certificate.creating') : t('certificate.create')}
          </Button>
        </div>
      )}
      {error ? (
        <MessageBar intent="error">
          <MessageBarBody>{errorText(t, error)}</MessageBarBody>
        </MessageBar>
      ) : null}
    </Field>
  );
}

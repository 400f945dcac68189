import { Button, Field, MessageBar, MessageBarBody, Text, makeStyles, tokens } from '@fluentui/react-components';
import { CertificateRegular, CheckmarkRegular, CopyRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProfileView } from '../../../shared/domain';
import type { AppErrorDto } from '../../../shared/errors';
import { api, ApiError } from '../../api';
import { errorText } from '../../i18n/error-text';
import type { ProfileEditor } from '../profiles/useProfileEditor';
import { CertificateFacts } from './CertificateFacts';
import { CertificateImport } from './CertificateImport';
import { DAYS_OF, NextCertificate, ValiditySelect, type ValidityMonths } from './NextCertificate';

const useStyles = makeStyles({
  field: { gridTemplateColumns: '230px 1fr' },
  box: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
  note: { color: tokens.colorNeutralForeground3 },
  or: { color: tokens.colorNeutralForeground3, fontWeight: tokens.fontWeightSemibold },
});

/**
 * The certificate of a "with certificate" profile: create it here (the key stays in the vault) or import
 * one, then copy or save the certificate for Entra's "Upload certificate"; renew it with overlap. For a
 * client-secret profile: the way to a certificate, tested before the secret goes.
 */
export function CertificatePanel({ editor }: { editor: ProfileEditor }): React.JSX.Element | null {
  const styles = useStyles();
  const { t } = useTranslation();
  const [months, setMonths] = useState<ValidityMonths>(12);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppErrorDto | null>(null);
  const [copied, setCopied] = useState(false);
  // Through main, as every copy: the renderer has no clipboard permission (the certificate is public).
  const copyPem = async (pem: string): Promise<void> => {
    await api.app.copy({ text: pem });
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  const stored = editor.current;
  const type = editor.values.accountType;
  const current = stored?.accountType === 'client-certificate' && type === 'client-certificate' ? stored : null;
  // A stored secret profile, not being changed to another type in the mask: it may move to a certificate.
  const secretProfile = stored?.accountType === 'client-secret' && type === 'client-secret' ? stored : null;
  const certificate = current?.certificate;
  const revision = editor.baseRevision ?? stored?.revision ?? 0;

  const adopt = (saved: ProfileView): void => {
    // A secret profile that switched is a certificate profile now: the mask follows without going dirty.
    if (saved.accountType !== editor.values.accountType) editor.setField('accountType', saved.accountType);
    editor.adoptRenewal(saved);
  };

  const create = async (): Promise<void> => {
    if (!current) return;
    setBusy(true);
    setError(null);
    try {
      adopt(await api.certificates.create({ profileId: current.id, revision, validityDays: DAYS_OF[months] }));
    } catch (e) {
      setError(e instanceof ApiError ? e.dto : { code: 'internal', params: {} });
    } finally {
      setBusy(false);
    }
  };

  if (type !== 'client-certificate' && !secretProfile) return null;
  const owner = current ?? secretProfile;

  return (
    <Field
      className={styles.field}
      orientation="horizontal"
      label={t('certificate.label')}
      {...(secretProfile ? {} : { hint: t('certificate.why') })}
    >
      <div className={styles.box}>
        {secretProfile ? null : !current ? (
          <Text className={styles.note}>{t('certificate.saveFirst')}</Text>
        ) : certificate ? (
          <>
            <CertificateFacts profileId={current.id} certificate={certificate} slot="current" onError={setError} />
            <div className={styles.row}>
              {/* A labelled button: an icon alone would not say that this copies the whole certificate. */}
              <Button icon={copied ? <CheckmarkRegular /> : <CopyRegular />} onClick={() => void copyPem(certificate.certPem)}>
                {copied ? t('actions.copied') : t('actions.copyNamed', { name: t('certificate.pem') })}
              </Button>
            </div>
            <MessageBar intent="info" layout="multiline">
              <MessageBarBody>{t('certificate.upload')}</MessageBarBody>
            </MessageBar>
          </>
        ) : (
          <>
            <div className={styles.row}>
              <ValiditySelect months={months} onChange={setMonths} />
              <Button appearance="primary" icon={<CertificateRegular />} disabled={busy} onClick={() => void create()}>
                {busy ? t('certificate.creating') : t('certificate.create')}
              </Button>
            </div>
            <Text className={styles.or}>{t('certificate.orImport')}</Text>
            <CertificateImport profile={current} revision={revision} slot="current" onSaved={adopt} />
          </>
        )}
        {error ? (
          <MessageBar intent="error">
            <MessageBarBody>{errorText(t, error)}</MessageBarBody>
          </MessageBar>
        ) : null}
        {/* One place in the tree for both types: the switch's reminder survives the change of type. */}
        {owner && (secretProfile || certificate) ? <NextCertificate profile={owner} revision={revision} onSaved={adopt} /> : null}
      </div>
    </Field>
  );
}

import { Button, Text, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowDownloadRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CertificateMeta } from '../../../shared/domain';
import type { AppErrorDto } from '../../../shared/errors';
import { api, ApiError } from '../../api';
import { CopyButton } from '../../components/CopyButton';
import { downloadBytes } from './certificate-files';

const useStyles = makeStyles({
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
  thumbprint: { fontFamily: tokens.fontFamilyMonospace, wordBreak: 'break-all' },
  note: { color: tokens.colorNeutralForeground3 },
});

/** A certificate's public facts and its files for Entra's "Upload certificate" (.cer as DER, or .pem). */
export function CertificateFacts(props: {
  profileId: string;
  certificate: CertificateMeta;
  slot: 'current' | 'next';
  onError: (error: AppErrorDto) => void;
}): React.JSX.Element {
  const styles = useStyles();
  const { t, i18n } = useTranslation();
  const [busy, setBusy] = useState(false);
  const { certificate } = props;
  const save = async (format: 'der' | 'pem'): Promise<void> => {
    setBusy(true);
    try {
      // Public material only: the core exports the certificate, never the key.
      const file = await api.certificates.export({ profileId: props.profileId, format, slot: props.slot });
      downloadBytes(file.fileName, file.mimeType, file.dataBase64);
    } catch (e) {
      props.onError(e instanceof ApiError ? e.dto : { code: 'internal', params: {} });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <div className={styles.row}>
        <Text>{t('certificate.thumbprint')}:</Text>
        <Text
          className={styles.thumbprint}
          data-testid={props.slot === 'next' ? 'next-certificate-thumbprint' : 'certificate-thumbprint'}
        >
          {certificate.thumbprintSha256}
        </Text>
        <CopyButton value={certificate.thumbprintSha256} label={t('certificate.thumbprint')} />
      </div>
      <div className={styles.row}>
        <Button icon={<ArrowDownloadRegular />} disabled={busy} onClick={() => void save('der')}>
          {t('certificate.saveCer')}
        </Button>
        <Button icon={<ArrowDownloadRegular />} disabled={busy} onClick={() => void save('pem')}>
          {t('certificate.savePem')}
        </Button>
      </div>
      <Text className={styles.note}>
        {t('certificate.details', {
          subject: certificate.subject,
          date: new Date(certificate.notAfter).toLocaleDateString(i18n.language),
        })}
      </Text>
    </div>
  );
}

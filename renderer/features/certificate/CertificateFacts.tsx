import { Button, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
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
  // Label, value, copy: both thumbprints line up, the long SHA-256 wraps inside its own column.
  thumbprints: {
    display: 'grid',
    gridTemplateColumns: 'auto minmax(0, 1fr) auto',
    columnGap: tokens.spacingHorizontalS,
    alignItems: 'center',
  },
  thumbprint: { fontFamily: tokens.fontFamilyMonospace, wordBreak: 'break-all' },
  secondary: { fontSize: tokens.fontSizeBase200 },
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
  const prefix = props.slot === 'next' ? 'next-' : '';
  const day = (iso: string): string => new Date(iso).toLocaleDateString(i18n.language);
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
      <div className={styles.thumbprints}>
        {/* SHA-1 first, labelled as Entra's Certificates list: the value an admin finds there at a glance. */}
        <Text>{t('certificate.thumbprint')}:</Text>
        <Text className={styles.thumbprint} data-testid={`${prefix}certificate-thumbprint-sha1`}>
          {certificate.thumbprintSha1}
        </Text>
        <CopyButton value={certificate.thumbprintSha1} label={t('certificate.thumbprint')} />
        {/* SHA-256: what the sign-in names (x5t#S256) and Absender's diagnoses quote. */}
        <Text className={mergeClasses(styles.note, styles.secondary)}>{t('certificate.thumbprintSha256')}:</Text>
        <Text
          className={mergeClasses(styles.thumbprint, styles.note, styles.secondary)}
          data-testid={`${prefix}certificate-thumbprint`}
        >
          {certificate.thumbprintSha256}
        </Text>
        <CopyButton value={certificate.thumbprintSha256} label={t('certificate.thumbprintSha256')} />
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
          start: day(certificate.notBefore),
          date: day(certificate.notAfter),
        })}
      </Text>
    </div>
  );
}

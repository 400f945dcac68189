import {
  Badge,
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { ProfileView } from '../../../shared/domain';
import { credentialExpiry } from '../../../shared/profile-health';
import { makeTableDialogStyles } from '../../components/table-dialog-styles';
import { ProfileBadges } from './ProfileBadges';

const useDialogStyles = makeTableDialogStyles({ maxWidth: '900px', tableMaxHeight: '480px' });
// Narrow hint and date columns leave the status badge room for its one line.
const useStyles = makeStyles({ hintColumn: { width: '170px' }, dateColumn: { width: '120px' } });

/** Every client secret and certificate, soonest expiry first: the renewal calendar an admin otherwise keeps in Excel. */
export function ExpiryOverview(props: {
  open: boolean;
  profiles: ProfileView[];
  onClose: () => void;
  onSelect: (id: string) => void;
}): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const styles = { ...useDialogStyles(), ...useStyles() };
  const now = new Date();
  const rows = props.profiles
    .flatMap((p) => {
      const expiry = credentialExpiry(p, now);
      return expiry === null ? [] : [{ p, expiry }];
    })
    .sort((a, b) => (a.expiry.daysLeft ?? Number.MAX_SAFE_INTEGER) - (b.expiry.daysLeft ?? Number.MAX_SAFE_INTEGER));
  const format = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeZone: 'UTC' });
  return (
    <Dialog open={props.open} onOpenChange={(_e, d) => !d.open && props.onClose()}>
      <DialogSurface className={styles.surface}>
        <DialogBody>
          <DialogTitle>{t('expiry.overviewTitle')}</DialogTitle>
          <DialogContent>
            {rows.length === 0 ? (
              t('expiry.overviewEmpty')
            ) : (
              <Table size="small" aria-label={t('expiry.overviewTitle')}>
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>{t('expiry.colProfile')}</TableHeaderCell>
                    <TableHeaderCell className={styles.hintColumn}>{t('expiry.colHint')}</TableHeaderCell>
                    <TableHeaderCell className={styles.dateColumn}>{t('expiry.colExpires')}</TableHeaderCell>
                    <TableHeaderCell>{t('expiry.colStatus')}</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {rows.map(({ p, expiry }) => (
                    <TableRow key={p.id}>
                      <TableCell>
                        <Button appearance="transparent" className={styles.nameButton} onClick={() => props.onSelect(p.id)}>
                          {p.name}
                        </Button>
                      </TableCell>
                      <TableCell>
                        {p.accountType === 'client-certificate' ? (
                          p.certificate ? (
                            // The first digits of the SHA-1 thumbprint: the column Entra lists the certificate by.
                            t('expiry.certificateHint', { thumbprint: p.certificate.thumbprintSha1.slice(0, 8) })
                          ) : (
                            <Badge color="danger">{t('badges.certificate.missing')}</Badge>
                          )
                        ) : p.secret.secretHint ? (
                          `${p.secret.secretHint}…`
                        ) : (
                          <Badge color="danger">{t('badges.secret.missing')}</Badge>
                        )}
                      </TableCell>
                      <TableCell className={styles.nowrap}>
                        {expiry.expiresOn ? format.format(new Date(`${expiry.expiresOn}T00:00:00Z`)) : t('expiry.noDate')}
                      </TableCell>
                      <TableCell>
                        <ProfileBadges profile={p} now={now} only="secret" t={t} language={i18n.language} />
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={props.onClose}>
              {t('expiry.close')}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

import {
  Badge,
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  MessageBar,
  MessageBarBody,
  ProgressBar,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { CopyRegular, ArrowDownloadRegular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import type { TestAllRow } from '../../../shared/ipc/contract';
import { api } from '../../api';
import { makeTableDialogStyles } from '../../components/table-dialog-styles';
import { SUMMARY_COLUMNS, headerCells, summaryCells, toCsv, toTsv } from './summary';
import type { TestAllState } from './useTestAll';
import { downloadBlob } from '../../components/download';

const useDialogStyles = makeTableDialogStyles({ maxWidth: '1040px', tableMaxHeight: '440px' });
const useStyles = makeStyles({
  counts: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center' },
});

const COLOR: Record<TestAllRow['state'], 'success' | 'warning' | 'danger'> = {
  ok: 'success',
  warning: 'warning',
  failed: 'danger',
};

/** The CSV as a file through the page's own download. */
function download(name: string, text: string): void {
  downloadBlob(name, new Blob([text], { type: 'text/csv;charset=utf-8' }));
}

export function TestAllDialog(props: {
  state: TestAllState;
  onClose: () => void;
  onSelect: (id: string) => void;
}): React.JSX.Element {
  const { state } = props;
  const styles = { ...useDialogStyles(), ...useStyles() };
  const { t, i18n } = useTranslation();
  const translate = (key: string, params?: Record<string, unknown>) => t(key, params ?? {});
  const header = headerCells(translate);
  const count = (s: TestAllRow['state']) => state.rows.filter((r) => r.state === s).length;
  const finished = !state.running && state.finishedAt !== null;
  const stamp = (state.finishedAt ?? new Date().toISOString()).slice(0, 16).replace(/[:T]/g, '-');
  return (
    <Dialog open={state.open} onOpenChange={(_e, d) => !d.open && props.onClose()}>
      <DialogSurface className={styles.surface}>
        <DialogBody>
          <DialogTitle>{t('testAll.title')}</DialogTitle>
          <DialogContent className={styles.content}>
            <Field
              validationState="none"
              validationMessage={
                state.total === 0 && !state.running
                  ? t('testAll.none')
                  : t('testAll.progress', { done: state.done, total: state.total })
              }
            >
              <ProgressBar
                {...(state.total === 0 && state.running ? {} : { value: state.total === 0 ? 1 : state.done / state.total })}
                aria-label={t('testAll.progress', { done: state.done, total: state.total })}
              />
            </Field>
            {state.error ? (
              <MessageBar intent="error">
                <MessageBarBody>{state.error}</MessageBarBody>
              </MessageBar>
            ) : null}
            <div className={styles.counts} data-testid="test-all-counts">
              <Badge color="success">{t('testAll.count.ok', { count: count('ok') })}</Badge>
              <Badge color="warning">{t('testAll.count.warning', { count: count('warning') })}</Badge>
              <Badge color="danger">{t('testAll.count.failed', { count: count('failed') })}</Badge>
              {state.running ? <Text size={200}>{t('testAll.noMail')}</Text> : null}
            </div>
            {state.rows.length > 0 ? (
              <div className={styles.table}>
                <Table size="small" aria-label={t('testAll.title')}>
                  <TableHeader>
                    <TableRow>
                      {SUMMARY_COLUMNS.map((c) => (
                        <TableHeaderCell key={c}>{header[c]}</TableHeaderCell>
                      ))}
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {state.rows.map((row) => {
                      const cells = summaryCells(row, translate);
                      return (
                        <TableRow key={row.profileId} data-profile-id={row.profileId}>
                          <TableCell>
                            <Button
                              appearance="transparent"
                              className={styles.nameButton}
                              onClick={() => props.onSelect(row.profileId)}
                            >
                              {cells.profile}
                            </Button>
                          </TableCell>
                          <TableCell>
                            <Badge appearance="tint" color={COLOR[row.state]}>
                              {cells.state}
                            </Badge>
                          </TableCell>
                          <TableCell>{cells.step}</TableCell>
                          <TableCell>{cells.code}</TableCell>
                          <TableCell>{cells.secretExpires}</TableCell>
                          <TableCell>
                            {cells.signInAge === '' ? '' : t('testAll.daysAgo', { count: row.signInAgeDays ?? 0 })}
                          </TableCell>
                        </TableRow>
                      );
                    })}
                  </TableBody>
                </Table>
              </div>
            ) : null}
          </DialogContent>
          <DialogActions>
            <Button
              icon={<CopyRegular />}
              disabled={!finished || state.rows.length === 0}
              onClick={() => void api.app.copy({ text: toTsv(state.rows, translate) })}
            >
              {t('testAll.copy')}
            </Button>
            <Button
              icon={<ArrowDownloadRegular />}
              disabled={!finished || state.rows.length === 0}
              onClick={() => download(`absender-test-${stamp}.csv`, toCsv(state.rows, translate, i18n.language))}
            >
              {t('testAll.saveCsv')}
            </Button>
            <Button appearance="primary" onClick={props.onClose}>
              {t('testAll.close')}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

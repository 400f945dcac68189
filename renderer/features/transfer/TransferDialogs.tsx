import {
  Badge,
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  MessageBar,
  MessageBarBody,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
} from '@fluentui/react-components';
import { ArrowDownloadRegular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  IMPORT_MAX_BYTES,
  type ConflictChoice,
  type ImportApplyResult,
  type ImportPreview,
} from '../../../shared/transfer/profile-transfer';
import { api } from '../../api';
import { makeTableDialogStyles } from '../../components/table-dialog-styles';
import { downloadJson, importErrorText, readImportFile } from './import-text';
import type { TransferRequest } from './TransferMenu';

const useDialogStyles = makeTableDialogStyles({ maxWidth: '960px', tableMaxHeight: '380px' });
const useStyles = makeStyles({
  choice: { minWidth: '340px' },
  actionColumn: { width: '360px' },
});

type ImportState =
  | { kind: 'closed' }
  | { kind: 'refused'; message: string }
  | {
      kind: 'preview';
      text: string;
      preview: ImportPreview;
      choices: Record<number, ConflictChoice>;
      error: string | null;
      busy: boolean;
    }
  | { kind: 'done'; result: ImportApplyResult };

/**
 * The two dialogs of export and import (no secrets), in a chunk of their own: the first paint has only the
 * menu (TransferMenu). Each request the menu makes (a new object) opens the export dialog or reads the file.
 */
export function TransferDialogs(props: {
  request: TransferRequest | null;
  onImported: () => Promise<void> | void;
}): React.JSX.Element {
  const { t } = useTranslation();
  const styles = { ...useDialogStyles(), ...useStyles() };
  const [exportOpen, setExportOpen] = useState(false);
  const [includeHistory, setIncludeHistory] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const [state, setState] = useState<ImportState>({ kind: 'closed' });

  const runExport = async (): Promise<void> => {
    try {
      const file = await api.profiles.export({ includeHistory });
      downloadJson(file.fileName, file.text);
      setExportOpen(false);
    } catch (error) {
      setExportError(importErrorText(t, error));
    }
  };

  const pick = async (file: File): Promise<void> => {
    const read = await readImportFile(file);
    if (!read.ok) {
      setState({ kind: 'refused', message: t('transfer.refusal.too-large', { max: IMPORT_MAX_BYTES / (1024 * 1024) }) });
      return;
    }
    try {
      const preview = await api.profiles.importPreview({ text: read.text });
      setState({ kind: 'preview', text: read.text, preview, choices: {}, error: null, busy: false });
    } catch (error) {
      setState({ kind: 'refused', message: importErrorText(t, error) });
    }
  };

  const apply = async (): Promise<void> => {
    if (state.kind !== 'preview') return;
    setState({ ...state, busy: true, error: null });
    try {
      const choices = state.preview.profiles
        .filter((p) => p.conflictId !== null)
        .map((p) => ({ index: p.index, choice: state.choices[p.index] ?? 'skip' }));
      const result = await api.profiles.importApply({ text: state.text, choices });
      await props.onImported();
      setState({ kind: 'done', result });
    } catch (error) {
      setState({ ...state, busy: false, error: importErrorText(t, error) });
    }
  };

  const { request } = props;
  // Each new request acts once: export opens its dialog in this render, import reads the file.
  const [handled, setHandled] = useState<TransferRequest | null>(null);
  if (request !== handled) {
    setHandled(request);
    if (request?.kind === 'export') {
      setExportError(null);
      setExportOpen(true);
    }
  }
  useEffect(() => {
    // pick sets state only once the file is read (after an await), never synchronously in the effect.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (request?.kind === 'import') void pick(request.file);
    // Only a new request reads a file; pick's identity changes every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [request]);

  const close = (): void => setState({ kind: 'closed' });
  const conflicts = state.kind === 'preview' ? state.preview.profiles.filter((p) => p.conflictId !== null).length : 0;

  return (
    <>
      <Dialog open={exportOpen} onOpenChange={(_e, data) => setExportOpen(data.open)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>{t('transfer.exportTitle')}</DialogTitle>
            <DialogContent className={styles.content}>
              <Text>{t('transfer.exportNoSecrets')}</Text>
              <Checkbox
                checked={includeHistory}
                onChange={(_e, data) => setIncludeHistory(data.checked === true)}
                label={t('transfer.includeHistory')}
              />
              {exportError ? (
                <MessageBar intent="error">
                  <MessageBarBody>{exportError}</MessageBarBody>
                </MessageBar>
              ) : null}
            </DialogContent>
            <DialogActions>
              <Button onClick={() => setExportOpen(false)}>{t('transfer.cancel')}</Button>
              <Button appearance="primary" icon={<ArrowDownloadRegular />} onClick={() => void runExport()}>
                {t('transfer.exportAction')}
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>

      <Dialog open={state.kind !== 'closed'} onOpenChange={(_e, data) => (data.open ? undefined : close())}>
        <DialogSurface className={styles.surface}>
          <DialogBody>
            <DialogTitle>{t('transfer.importTitle')}</DialogTitle>
            <DialogContent className={styles.content}>
              {state.kind === 'refused' ? (
                <MessageBar intent="error" layout="multiline" data-import="refused">
                  <MessageBarBody>
                    {state.message} {t('transfer.nothingChanged')}
                  </MessageBarBody>
                </MessageBar>
              ) : null}
              {state.kind === 'preview' ? (
                <>
                  <MessageBar intent="info" layout="multiline">
                    <MessageBarBody>{t('transfer.importNoSecrets')}</MessageBarBody>
                  </MessageBar>
                  <Text>
                    {t('transfer.previewSummary', { count: state.preview.profiles.length })}{' '}
                    {conflicts > 0 ? t('transfer.conflicts', { count: conflicts }) : null}
                  </Text>
                  <div className={styles.table}>
                    <Table size="small" aria-label={t('transfer.importTitle')}>
                      <TableHeader>
                        <TableRow>
                          <TableHeaderCell>{t('transfer.col.name')}</TableHeaderCell>
                          <TableHeaderCell>{t('transfer.col.type')}</TableHeaderCell>
                          <TableHeaderCell>{t('transfer.col.sender')}</TableHeaderCell>
                          <TableHeaderCell className={styles.actionColumn}>{t('transfer.col.action')}</TableHeaderCell>
                        </TableRow>
                      </TableHeader>
                      <TableBody>
                        {state.preview.profiles.map((p) => (
                          <TableRow key={p.index} data-import-row={p.name}>
                            <TableCell className={styles.nowrap}>{p.name}</TableCell>
                            <TableCell>{t(`accountType.${p.accountType}`)}</TableCell>
                            <TableCell>{p.senderAddress}</TableCell>
                            <TableCell>
                              {p.conflictId === null ? (
                                <Badge appearance="tint" color="success">
                                  {t('transfer.new')}
                                </Badge>
                              ) : (
                                <Select
                                  className={styles.choice}
                                  aria-label={t('transfer.conflictFor', { name: p.name })}
                                  value={state.choices[p.index] ?? 'skip'}
                                  onChange={(_e, data) =>
                                    setState({
                                      ...state,
                                      choices: { ...state.choices, [p.index]: data.value as ConflictChoice },
                                    })
                                  }
                                >
                                  <option value="skip">{t('transfer.choice.skip')}</option>
                                  <option value="replace">{t('transfer.choice.replace')}</option>
                                  <option value="keep-both">{t('transfer.choice.keep-both')}</option>
                                </Select>
                              )}
                            </TableCell>
                          </TableRow>
                        ))}
                      </TableBody>
                    </Table>
                  </div>
                  {state.error ? (
                    <MessageBar intent="error">
                      <MessageBarBody>{state.error}</MessageBarBody>
                    </MessageBar>
                  ) : null}
                </>
              ) : null}
              {state.kind === 'done' ? (
                <MessageBar intent="success" layout="multiline" data-import="done">
                  <MessageBarBody>{t('transfer.done', { ...state.result })}</MessageBarBody>
                </MessageBar>
              ) : null}
            </DialogContent>
            <DialogActions>
              {state.kind === 'preview' ? (
                <>
                  <Button onClick={close}>{t('transfer.cancel')}</Button>
                  <Button appearance="primary" disabled={state.busy} onClick={() => void apply()}>
                    {t('transfer.importAction')}
                  </Button>
                </>
              ) : (
                <Button appearance="primary" onClick={close}>
                  {t('transfer.close')}
                </Button>
              )}
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </>
  );
}

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
  Input,
  MessageBar,
  MessageBarBody,
  Switch,
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
import {
  ArrowClockwiseRegular,
  CopyRegular,
  DeleteRegular,
  KeyRegular,
  KeyResetRegular,
  WarningRegular,
} from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProfileView } from '../../../shared/domain';
import type { RelayQueueRow, RelayStatusView } from '../../../shared/ipc/contract';
import { api, ApiError, onEvent } from '../../api';
import { makeTableDialogStyles } from '../../components/table-dialog-styles';
import { errorText } from '../../i18n/error-text';
import { followRelayQueue } from './queue-feed';
import { refreshRelayStatus, setRelayStatus, useRelayStatus } from './relay-store';

const useDialogStyles = makeTableDialogStyles({ maxWidth: '1180px', tableMaxHeight: '260px' });
const useStyles = makeStyles({
  settings: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'flex-end', flexWrap: 'wrap' },
  address: { width: '160px' },
  port: { width: '110px' },
  input: { width: '100%', minWidth: 0 },
  allow: { flex: 1, minWidth: '260px' },
  status: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center', flexWrap: 'wrap' },
  actions: { display: 'flex', gap: tokens.spacingHorizontalXS, whiteSpace: 'nowrap' },
  password: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  unchecked: { marginLeft: tokens.spacingHorizontalXS, whiteSpace: 'nowrap' },
  // Fluent's table lays its columns out fixed (equal widths): the count is short, the two actions are not
  // ("Jetzt wiederholen" and the delete icon were cut at 1280×800).
  attemptsColumn: { width: '5.5rem' },
  actionsColumn: { width: '13rem' },
});

const STATUS_COLOR: Record<RelayQueueRow['status'], 'informative' | 'warning' | 'success' | 'danger'> = {
  pending: 'warning',
  sending: 'informative',
  sent: 'success',
  failed: 'danger',
};

const kb = (size: number): string => `${Math.max(1, Math.round(size / 1024))} KB`;

/** The relay inside the window: on/off, where it listens, its logins and its queue (never message content). */
export function RelayPanel(props: { onClose: () => void }): React.JSX.Element {
  const styles = { ...useDialogStyles(), ...useStyles() };
  const { t, i18n } = useTranslation();
  const status = useRelayStatus();
  const [profiles, setProfiles] = useState<ProfileView[]>([]);
  const [rows, setRows] = useState<RelayQueueRow[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // What the admin typed; until then the stored settings show.
  const [edits, setEdits] = useState<{ host?: string; port?: string; allow?: string }>({});
  // The one secret the window ever shows: only here, cleared when its dialog closes (never in a store).
  const [shown, setShown] = useState<{ profile: string; user: string; password: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const [confirm, setConfirm] = useState<RelayQueueRow | null>(null);

  // Once when the panel opens: the profiles, a fresh status, the queue. After that the queue is read once per
  // relay.changed (accepted, sent, deferred, and every action here), not again for an action's answered status.
  useEffect(() => {
    void api.profiles.list().then(setProfiles, () => undefined);
    void refreshRelayStatus();
    return followRelayQueue({ list: () => api.relay.list(), onChanged: (l) => onEvent('relay.changed', l) }, setRows);
  }, []);
  const form = {
    host: edits.host ?? status?.settings.host ?? '',
    port: edits.port ?? (status ? String(status.settings.port) : ''),
    allow: edits.allow ?? status?.settings.allowClients.join(', ') ?? '',
  };

  const run = async (action: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(e instanceof ApiError ? errorText(t, e.dto) : t('errors.internal'));
    } finally {
      setBusy(false);
    }
  };

  const readOnly = status?.lockedBy != null;
  // Sent again without the mailbox lookup (Mail.Send only): one note above the queue, a short badge per row.
  const unchecked = rows.filter((row) => row.uncheckedResend).length;
  const listening = status?.running === true ? status : null;
  const running = listening !== null;
  const nameOf = (id: string): string => profiles.find((p) => p.id === id)?.name ?? t('relay.queue.unknownProfile');
  const loginOf = (id: string): RelayStatusView['logins'][number] | undefined => status?.logins.find((l) => l.profileId === id);
  const date = (iso: string | null): string =>
    iso === null ? '' : new Date(iso).toLocaleString(i18n.language, { dateStyle: 'short', timeStyle: 'short' });
  const diagnosis = (row: RelayQueueRow): string => {
    const reply = row.lastReply;
    if (reply === null) return '';
    const key = reply.diagnosis === null ? null : `diagnostics:${reply.diagnosis}.title`;
    const text = key !== null && i18n.exists(key) ? t(key) : reply.text;
    return `${text} (${reply.code} ${reply.enhanced})`;
  };

  const toggle = (on: boolean) =>
    run(async () => {
      if (!on) return setRelayStatus(await api.relay.stop());
      const port = Number(form.port);
      const allowClients = form.allow
        .split(/[\s,;]+/)
        .map((s) => s.trim())
        .filter((s) => s !== '');
      setRelayStatus(await api.relay.start({ host: form.host.trim(), port, allowClients }));
    });

  return (
    <Dialog open modalType="modal" onOpenChange={(_e, data) => (data.open ? undefined : props.onClose())}>
      <DialogSurface className={styles.surface} aria-label={t('relay.title')}>
        <DialogBody>
          <DialogTitle>{t('relay.title')}</DialogTitle>
          <DialogContent className={styles.content}>
            <Text>{t('relay.intro')}</Text>
            {status?.lockedBy ? (
              <MessageBar intent="warning" data-relay="locked">
                <MessageBarBody>
                  {t('relay.locked', {
                    pid: status.lockedBy.pid,
                    host: status.lockedBy.host,
                    port: status.lockedBy.port,
                  })}
                </MessageBarBody>
              </MessageBar>
            ) : null}
            {error !== null ? (
              <MessageBar intent="error" data-relay="error">
                <MessageBarBody>{error}</MessageBarBody>
              </MessageBar>
            ) : null}
            <div className={styles.settings}>
              <Switch
                label={t('relay.switch')}
                checked={running}
                disabled={busy || readOnly || status === null}
                onChange={(_e, data) => void toggle(data.checked)}
              />
              <Field label={t('relay.address')} className={styles.address}>
                <Input
                  className={styles.input}
                  value={form.host}
                  disabled={running || readOnly}
                  onChange={(_e, d) => setEdits((e) => ({ ...e, host: d.value }))}
                />
              </Field>
              <Field label={t('relay.port')} className={styles.port}>
                <Input
                  className={styles.input}
                  type="number"
                  value={form.port}
                  disabled={running || readOnly}
                  onChange={(_e, d) => setEdits((e) => ({ ...e, port: d.value }))}
                />
              </Field>
              <Field label={t('relay.allowClients')} hint={t('relay.allowClientsHint')} className={styles.allow}>
                <Input
                  value={form.allow}
                  disabled={running || readOnly}
                  onChange={(_e, d) => setEdits((e) => ({ ...e, allow: d.value }))}
                />
              </Field>
            </div>
            <div className={styles.status} data-relay="status">
              <Badge appearance="tint" color={running ? 'success' : 'informative'}>
                {listening
                  ? t('relay.running', { address: listening.address ?? '', port: listening.port ?? '' })
                  : t('relay.stopped')}
              </Badge>
              <Text data-relay="counts">
                {t('relay.counts', {
                  pending: status?.counts.pending ?? 0,
                  sending: status?.counts.sending ?? 0,
                  sent: status?.counts.sent ?? 0,
                  failed: status?.counts.failed ?? 0,
                })}
              </Text>
            </div>
            {status?.loginsDamaged ? (
              <MessageBar intent="error" data-relay="logins-damaged">
                <MessageBarBody>
                  {t('relay.loginsDamaged', { file: status.loginsDamaged.file, kept: status.loginsDamaged.kept })}
                </MessageBarBody>
              </MessageBar>
            ) : null}
            {status?.tlsRegenerated ? (
              <MessageBar intent="warning" data-relay="tls-regenerated">
                <MessageBarBody>
                  {t('relay.tlsRegenerated', {
                    at: date(status.tlsRegenerated.at),
                    old: status.tlsRegenerated.oldFingerprint ?? t('relay.fingerprintUnreadable'),
                    new: status.tlsRegenerated.newFingerprint,
                    kept: status.tlsRegenerated.keptFile,
                  })}
                </MessageBarBody>
              </MessageBar>
            ) : null}
            {status?.tlsTemporary ? (
              <MessageBar intent="warning" data-relay="tls-temporary">
                <MessageBarBody>
                  {t('relay.tlsTemporary', {
                    temporary: status.tlsTemporary.fingerprint,
                    stored: status.tlsTemporary.storedFingerprint,
                    why: t(
                      status.tlsTemporary.reason === 'cipher-unavailable'
                        ? 'relay.tlsTemporaryUnavailable'
                        : 'relay.tlsTemporaryOtherBackend',
                    ),
                  })}
                </MessageBarBody>
              </MessageBar>
            ) : null}
            {status?.fingerprint ? (
              <Field label={t('relay.fingerprint')}>
                <Text className={styles.mono} data-relay="fingerprint">
                  {status.fingerprint}
                </Text>
              </Field>
            ) : null}

            <Text weight="semibold">{t('relay.logins.title')}</Text>
            <div className={styles.table}>
              <Table size="small" aria-label={t('relay.logins.title')}>
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>{t('relay.logins.profile')}</TableHeaderCell>
                    <TableHeaderCell>{t('relay.logins.user')}</TableHeaderCell>
                    <TableHeaderCell>{t('relay.queue.actions')}</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {profiles.map((p) => {
                    const login = loginOf(p.id);
                    return (
                      <TableRow key={p.id} data-relay-login={p.name}>
                        <TableCell>{p.name}</TableCell>
                        <TableCell>
                          {login
                            ? `${login.user} · ${t('relay.logins.created', { date: date(login.createdAt) })}`
                            : t('relay.logins.none')}
                        </TableCell>
                        <TableCell>
                          <div className={styles.actions}>
                            <Button
                              size="small"
                              icon={login ? <KeyResetRegular /> : <KeyRegular />}
                              disabled={busy || readOnly}
                              onClick={() =>
                                void run(async () => {
                                  const issued = await api.relay.newPassword({ profileId: p.id });
                                  setCopied(false);
                                  setShown({ profile: p.name, ...issued });
                                })
                              }
                            >
                              {login ? t('relay.logins.replace') : t('relay.logins.create')}
                            </Button>
                            {login ? (
                              <Button
                                size="small"
                                appearance="subtle"
                                disabled={busy || readOnly}
                                onClick={() => void run(async () => setRelayStatus(await api.relay.revoke({ profileId: p.id })))}
                              >
                                {t('relay.logins.revoke')}
                              </Button>
                            ) : null}
                          </div>
                        </TableCell>
                      </TableRow>
                    );
                  })}
                </TableBody>
              </Table>
            </div>

            <Text weight="semibold">{t('relay.queue.title')}</Text>
            {unchecked > 0 ? (
              <MessageBar intent="warning" data-relay="unchecked-resends">
                <MessageBarBody>{t('relay.queue.uncheckedResend', { count: unchecked })}</MessageBarBody>
              </MessageBar>
            ) : null}
            {rows.length === 0 ? (
              <Text data-relay="queue-empty">{t('relay.queue.empty')}</Text>
            ) : (
              <div className={styles.table}>
                <Table size="small" aria-label={t('relay.queue.title')}>
                  <TableHeader>
                    <TableRow>
                      <TableHeaderCell>{t('relay.queue.status')}</TableHeaderCell>
                      <TableHeaderCell>{t('relay.queue.profile')}</TableHeaderCell>
                      <TableHeaderCell>{t('relay.queue.to')}</TableHeaderCell>
                      <TableHeaderCell>{t('relay.queue.subject')}</TableHeaderCell>
                      <TableHeaderCell>{t('relay.queue.accepted')}</TableHeaderCell>
                      <TableHeaderCell className={styles.attemptsColumn}>{t('relay.queue.attempts')}</TableHeaderCell>
                      <TableHeaderCell>{t('relay.queue.diagnosis')}</TableHeaderCell>
                      <TableHeaderCell className={styles.actionsColumn}>{t('relay.queue.actions')}</TableHeaderCell>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {rows.map((row) => (
                      <TableRow key={row.id} data-relay-row={row.id} data-status={row.status}>
                        <TableCell className={styles.nowrap}>
                          <Badge appearance="tint" color={STATUS_COLOR[row.status]}>
                            {t(`relay.status.${row.status}`)}
                          </Badge>
                        </TableCell>
                        <TableCell>{nameOf(row.profileId)}</TableCell>
                        <TableCell title={`${t('relay.queue.from')}: ${row.mailFrom}`}>{row.rcptTo.join(', ')}</TableCell>
                        <TableCell>
                          {row.subject ?? ''} <Text size={200}>({kb(row.size)})</Text>
                        </TableCell>
                        <TableCell className={styles.nowrap}>{date(row.acceptedAt)}</TableCell>
                        <TableCell
                          title={row.status === 'pending' ? `${t('relay.queue.next')}: ${date(row.nextAttemptAt)}` : undefined}
                        >
                          {row.attempts}
                        </TableCell>
                        <TableCell data-relay="diagnosis">
                          {diagnosis(row)}
                          {row.uncheckedResend ? (
                            <Badge
                              appearance="tint"
                              color="warning"
                              icon={<WarningRegular />}
                              className={styles.unchecked}
                              data-relay="unchecked-resend"
                            >
                              {t('relay.queue.uncheckedBadge')}
                            </Badge>
                          ) : null}
                        </TableCell>
                        <TableCell>
                          <div className={styles.actions}>
                            {row.status === 'pending' ? (
                              <Button
                                size="small"
                                icon={<ArrowClockwiseRegular />}
                                disabled={busy || !running}
                                onClick={() =>
                                  void run(async () => {
                                    await api.relay.retryNow({ id: row.id });
                                  })
                                }
                              >
                                {t('relay.queue.retry')}
                              </Button>
                            ) : null}
                            {row.status !== 'sending' ? (
                              <Button
                                size="small"
                                appearance="subtle"
                                icon={<DeleteRegular />}
                                aria-label={t('relay.queue.delete')}
                                disabled={busy || !running}
                                onClick={() => setConfirm(row)}
                              />
                            ) : null}
                          </div>
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </div>
            )}
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={props.onClose}>
              {t('relay.close')}
            </Button>
          </DialogActions>
        </DialogBody>
        {/* Nested in the surface: Fluent then stacks the modals and hands the panel back its focus and name. */}

        {shown !== null ? (
          <Dialog open modalType="alert" onOpenChange={(_e, data) => (data.open ? undefined : setShown(null))}>
            <DialogSurface aria-label={t('relay.password.title', { profile: shown.profile })}>
              <DialogBody>
                <DialogTitle>{t('relay.password.title', { profile: shown.profile })}</DialogTitle>
                <DialogContent className={styles.content}>
                  <MessageBar intent="warning">
                    <MessageBarBody>{t('relay.password.once')}</MessageBarBody>
                  </MessageBar>
                  <Field label={t('relay.password.user')}>
                    <Text className={styles.mono} data-relay="user">
                      {shown.user}
                    </Text>
                  </Field>
                  <Field label={t('relay.password.password')}>
                    <div className={styles.password}>
                      <Text className={styles.mono} data-relay="password">
                        {shown.password}
                      </Text>
                      <Button
                        icon={<CopyRegular />}
                        onClick={() => void api.app.copy({ text: shown.password }).then(() => setCopied(true))}
                      >
                        {copied ? t('relay.password.copied') : t('relay.password.copy')}
                      </Button>
                    </div>
                  </Field>
                </DialogContent>
                <DialogActions>
                  <Button appearance="primary" onClick={() => setShown(null)}>
                    {t('relay.password.close')}
                  </Button>
                </DialogActions>
              </DialogBody>
            </DialogSurface>
          </Dialog>
        ) : null}

        {confirm !== null ? (
          <Dialog open modalType="alert" onOpenChange={(_e, data) => (data.open ? undefined : setConfirm(null))}>
            <DialogSurface aria-label={t('relay.queue.confirmTitle')}>
              <DialogBody>
                <DialogTitle>{t('relay.queue.confirmTitle')}</DialogTitle>
                <DialogContent>{t('relay.queue.confirmBody', { to: confirm.rcptTo.join(', ') })}</DialogContent>
                <DialogActions>
                  <Button onClick={() => setConfirm(null)}>{t('relay.queue.cancel')}</Button>
                  <Button
                    appearance="primary"
                    onClick={() => {
                      const id = confirm.id;
                      setConfirm(null);
                      // The rows follow with the relay.changed the removal sends (one listing, see above).
                      void run(async () => {
                        await api.relay.remove({ id });
                      });
                    }}
                  >
                    {t('relay.queue.delete')}
                  </Button>
                </DialogActions>
              </DialogBody>
            </DialogSurface>
          </Dialog>
        ) : null}
      </DialogSurface>
    </Dialog>
  );
}

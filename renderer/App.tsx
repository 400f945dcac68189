import { MessageBar, MessageBarBody, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppInfo, Settings } from '../shared/domain';
import { api } from './api';
import { AppToolbar } from './components/AppToolbar';
import { EmptyState } from './features/profiles/EmptyState';
import { SettingsDialog } from './components/SettingsDialog';
import { ExpiryOverview } from './features/profiles/ExpiryOverview';
import { ProfileDialogs } from './features/profiles/ProfileDialogs';
import { ProfileForm } from './features/profiles/ProfileForm';
import { ProfileList } from './features/profiles/ProfileList';
import { SaveStatus } from './features/profiles/SaveStatus';
import { useProfileEditor } from './features/profiles/useProfileEditor';
import { ConnectionTestPanel } from './features/connection-test/ConnectionTestPanel';
import { SignInSection } from './features/sign-in/SignInSection';
import { useSignIn } from './features/sign-in/useSignIn';
import { useConnectionTest, type TestOptions } from './features/connection-test/useConnectionTest';

const useStyles = makeStyles({
  root: {
    display: 'grid',
    gridTemplateRows: 'auto 1fr',
    gridTemplateColumns: 'minmax(0, 1fr)',
    height: '100vh',
    backgroundColor: tokens.colorNeutralBackground2,
  },
  body: { display: 'grid', gridTemplateColumns: '320px 1fr', minHeight: 0 },
  list: { borderRight: `1px solid ${tokens.colorNeutralStroke2}`, backgroundColor: tokens.colorNeutralBackground1, minHeight: 0 },
  main: {
    padding: `${tokens.spacingVerticalXL} ${tokens.spacingHorizontalXXL}`,
    overflow: 'auto',
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    // The column scrolls; its cards must keep their height instead of shrinking into each other.
    '& > *': { flexShrink: 0 },
  },
});

export function App({ info, settings }: { info: AppInfo; settings: Settings }): React.JSX.Element {
  const styles = useStyles();
  const { t } = useTranslation();
  const editor = useProfileEditor();
  const [weakAccepted, setWeakAccepted] = useState(settings.acceptedWeakEncryption);
  const { save } = editor;
  const current = editor.current;
  const openId = useRef<string | null>(null);
  const currentIdForRef = current?.id ?? null;
  useEffect(() => {
    openId.current = currentIdForRef;
  }, [currentIdForRef]);
  const tester = useConnectionTest(current?.id ?? null);
  const signIn = useSignIn(current?.accountType === 'modern-auth' ? current.id : null, editor.refresh);
  const [testOptions, setTestOptions] = useState<TestOptions>({
    sendTestMessage: false,
    testMessageTo: '',
    probe: false,
    probeMailbox: '',
  });
  const currentId = current?.id;
  const currentSender = current?.senderAddress ?? '';
  // New profile or sender: fresh options (nothing is sent unless ticked again).
  const [optionsFor, setOptionsFor] = useState(`${currentId ?? ''}|${currentSender}`);
  if (optionsFor !== `${currentId ?? ''}|${currentSender}`) {
    setOptionsFor(`${currentId ?? ''}|${currentSender}`);
    setTestOptions({ sendTestMessage: false, testMessageTo: currentSender, probe: false, probeMailbox: '' });
  }
  const testDisabledReason = !current ? t('test.saveFirst') : editor.dirty ? t('test.saveChangesFirst') : null;
  const [renewState, setRenewState] = useState<
    { kind: 'idle' | 'running' | 'failed' } | { kind: 'done'; hint: string; old: string }
  >({ kind: 'idle' });
  const [overviewOpen, setOverviewOpen] = useState(false);
  const [settingsOpen, setSettingsOpen] = useState(false);
  /** Renew: the new value is tested while the old one stays stored; only a working value replaces it. */
  const renew = async (): Promise<void> => {
    if (!current) return;
    const candidate = editor.secretInput.trim();
    const old = current.secret.secretHint ?? '';
    setRenewState({ kind: 'running' });
    const report = await tester.run({ profileId: current.id, candidateSecret: candidate });
    // The admin may have opened another profile meanwhile: this result is not theirs to save.
    if (openId.current !== current.id) {
      setRenewState({ kind: 'idle' });
      return;
    }
    const tokenOk = report?.steps.find((s) => s.id === 'token')?.status === 'ok';
    if (!tokenOk) {
      setRenewState({ kind: 'failed' });
      return;
    }
    setRenewState((await editor.save()) ? { kind: 'done', hint: candidate.slice(0, 3), old } : { kind: 'failed' });
  };
  const runTest = async (): Promise<void> => {
    if (!current || testDisabledReason !== null) return;
    await tester.run({
      profileId: current.id,
      ...(testOptions.sendTestMessage && testOptions.testMessageTo.trim() !== ''
        ? { testMessageTo: testOptions.testMessageTo.trim() }
        : {}),
      ...(testOptions.probe && testOptions.probeMailbox.trim() !== ''
        ? { restrictionProbeMailbox: testOptions.probeMailbox.trim() }
        : {}),
    });
    await editor.refresh();
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's' && !e.repeat) {
        e.preventDefault();
        void save();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [save]);
  // Closing the window with unsaved edits asks first (the Electron host shows the question).
  const dirty = editor.dirty;
  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (e: BeforeUnloadEvent): void => e.preventDefault();
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty]);
  useEffect(() => {
    if (editor.weakEncryptionPrompt === null) void api.settings.get().then((s) => setWeakAccepted(s.acceptedWeakEncryption));
  }, [editor.weakEncryptionPrompt]);

  return (
    <div className={styles.root}>
      <AppToolbar
        editor={editor}
        testing={tester.running}
        onTest={() => void runTest()}
        onOverview={() => setOverviewOpen(true)}
        onSettings={() => setSettingsOpen(true)}
        signingIn={signIn.busy}
        onAuthenticate={() => void signIn.signIn()}
      />
      <div className={styles.body}>
        <nav className={styles.list} aria-label={t('list.title')}>
          <ProfileList profiles={editor.profiles} selectedId={editor.current?.id ?? null} onSelect={editor.selectProfile} />
        </nav>
        <main className={styles.main}>
          {!info.encryption.available && weakAccepted ? (
            <MessageBar intent="warning">
              <MessageBarBody>{t('banner.weakEncryption', { backend: info.encryption.backend })}</MessageBarBody>
            </MessageBar>
          ) : null}
          {info.storage.map((s) => (
            <MessageBar
              key={s.file}
              intent={s.state === 'started-empty' ? 'error' : 'warning'}
              layout="multiline"
              data-storage={s.state}
            >
              <MessageBarBody>
                {t(s.state === 'started-empty' ? 'storage.startedEmpty' : 'storage.restored', {
                  file: s.file,
                  backup: s.backupFile ?? t('storage.noBackup'),
                  corrupt: s.corruptFile ?? s.file,
                })}
              </MessageBarBody>
            </MessageBar>
          ))}
          {info.log?.failure ? (
            <MessageBar intent="warning" layout="multiline" data-log-failure={info.log.failure.code}>
              <MessageBarBody>
                {t('logFile.failed', {
                  path: info.log.path,
                  reason: t(`storageReason.${info.log.failure.reason}`),
                  code: info.log.failure.code,
                })}
              </MessageBarBody>
            </MessageBar>
          ) : null}
          <SaveStatus status={editor.status} />
          {renewState.kind === 'done' || renewState.kind === 'failed' ? (
            <MessageBar intent={renewState.kind === 'done' ? 'success' : 'error'} role="alert" data-renew={renewState.kind}>
              <MessageBarBody>
                {renewState.kind === 'done' ? t('renew.done', { hint: renewState.hint, old: renewState.old }) : t('renew.failed')}
              </MessageBarBody>
            </MessageBar>
          ) : null}
          {editor.selection.kind === 'none' ? (
            editor.loaded ? (
              <EmptyState onNew={editor.newProfile} />
            ) : null
          ) : (
            <ProfileForm editor={editor} onRenew={() => void renew()} renewing={renewState.kind === 'running'} />
          )}
          {current?.accountType === 'modern-auth' ? (
            <SignInSection profile={current} signIn={signIn} disabled={editor.dirty} />
          ) : null}
          {current ? (
            <ConnectionTestPanel
              profile={current}
              options={testOptions}
              onOptions={setTestOptions}
              steps={tester.steps}
              finishedAt={tester.report?.finishedAt ?? null}
              running={tester.running}
              disabledReason={testDisabledReason}
              onRun={() => void runTest()}
            />
          ) : null}
        </main>
      </div>
      <ProfileDialogs editor={editor} />
      <SettingsDialog
        open={settingsOpen}
        info={info}
        onClose={(saved) => {
          setSettingsOpen(false);
          if (saved) setWeakAccepted(saved.acceptedWeakEncryption);
        }}
      />
      <ExpiryOverview
        open={overviewOpen}
        profiles={editor.profiles}
        onClose={() => setOverviewOpen(false)}
        onSelect={(id) => {
          setOverviewOpen(false);
          editor.selectProfile(id);
        }}
      />
    </div>
  );
}

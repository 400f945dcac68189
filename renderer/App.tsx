import { MessageBar, MessageBarBody, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppInfo, Settings } from '../shared/domain';
import { AppToolbar } from './features/toolbar/AppToolbar';
import { EmptyState } from './features/profiles/EmptyState';
import { ProfileForm } from './features/profiles/ProfileForm';
import { ProfileList } from './features/profiles/ProfileList';
import { SaveStatus } from './features/profiles/SaveStatus';
import { useProfileEditor } from './features/profiles/useProfileEditor';
import { TestSummary } from './features/connection-test/TestSummary';
import { MaskHeader } from './features/profiles/MaskHeader';
import { api } from './api';
import { useSignIn } from './features/sign-in/useSignIn';
import { useTestRun } from './features/connection-test/useTestRun';
import { CertificateTesterContext } from './features/certificate/tester-context';
import { RenewStatus } from './features/profiles/RenewStatus';
import { useEditorShortcuts } from './features/profiles/useEditorShortcuts';
import { useSecretRenewal } from './features/profiles/useSecretRenewal';
import { useSettingsDialog } from './features/settings/useSettingsDialog';
import { LogFailureNotice } from './features/log-file/LogFailureNotice';
import { DemoBanner } from './features/demo/DemoBanner';
import { TransferMenu } from './features/transfer/TransferMenu';
import { useTestAll } from './features/test-all/useTestAll';
import {
  AppToaster,
  BelowFold,
  ConnectionTestPanel,
  Deferred,
  ExpiryOverview,
  HistorySection,
  ProfileDialogs,
  SettingsDialog,
  SetupAssistant,
  SignInSection,
  TestAllDialog,
} from './lazy-parts';

/** The notice text per start-up repair (file names only). */
const STORAGE_NOTICE = {
  'restored-from-backup': 'storage.restored',
  'started-empty': 'storage.startedEmpty',
  'journal-damaged': 'storage.journalDamaged',
} as const satisfies Record<AppInfo['storage'][number]['state'], string>;

const useStyles = makeStyles({
  root: {
    display: 'grid',
    gridTemplateRows: 'auto 1fr',
    gridTemplateColumns: 'minmax(0, 1fr)',
    height: '100vh',
    backgroundColor: tokens.colorNeutralBackground2,
  },
  // Demo mode: one more row on top for the banner.
  withDemo: { gridTemplateRows: 'auto auto 1fr' },
  body: { display: 'grid', gridTemplateColumns: '320px 1fr', minHeight: 0 },
  list: { borderRight: `1px solid ${tokens.colorNeutralStroke2}`, backgroundColor: tokens.colorNeutralBackground1, minHeight: 0 },
  main: {
    // No top padding: the sticky mask header brings its own, so nothing scrolls visibly above it.
    padding: `0 ${tokens.spacingHorizontalXXL} ${tokens.spacingVerticalXL}`,
    '& > :first-child:not([data-part="mask-header"])': { marginTop: tokens.spacingVerticalXL },
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
  useEditorShortcuts(editor);
  const current = editor.current;
  const test = useTestRun(editor);
  const tester = test.tester;
  const renewal = useSecretRenewal(editor, tester);
  const signIn = useSignIn(current?.accountType === 'modern-auth' ? current.id : null, editor.refresh);
  const settingsDialog = useSettingsDialog(settings, editor.weakEncryptionPrompt);
  const [overviewOpen, setOverviewOpen] = useState(false);
  const testAll = useTestAll(editor.refresh);
  const [hintsCollapsed, setHintsCollapsed] = useState(settings.manualHintsCollapsed);
  const collapseHints = (collapsed: boolean): void => {
    setHintsCollapsed(collapsed);
    // Remembered by the core's settings, so the next start shows the notes as the admin left them.
    void api.settings.update({ manualHintsCollapsed: collapsed });
  };

  return (
    <div className={info.demo ? mergeClasses(styles.root, styles.withDemo) : styles.root}>
      {info.demo ? <DemoBanner demo={info.demo} /> : null}
      <AppToolbar
        editor={editor}
        testing={tester.running}
        onTest={() => void test.run()}
        onOverview={() => setOverviewOpen(true)}
        onSettings={settingsDialog.show}
        signingIn={signIn.busy}
        onAuthenticate={() => void signIn.signIn()}
        testAll={{ onRun: () => void testAll.run(), disabled: editor.profiles.length === 0 }}
        transfer={<TransferMenu onImported={editor.refresh} />}
      />
      <div className={styles.body}>
        <nav className={styles.list} aria-label={t('list.title')}>
          <ProfileList profiles={editor.profiles} selectedId={editor.current?.id ?? null} onSelect={editor.selectProfile} />
        </nav>
        <main className={styles.main}>
          {!info.encryption.available && settingsDialog.weakAccepted ? (
            <MessageBar intent="warning">
              <MessageBarBody>{t('banner.weakEncryption', { backend: info.encryption.backend })}</MessageBarBody>
            </MessageBar>
          ) : null}
          {info.storage.map((s) => (
            <MessageBar
              key={`${s.file}:${s.state}`}
              intent={s.state === 'started-empty' ? 'error' : 'warning'}
              layout="multiline"
              data-storage={s.state}
            >
              <MessageBarBody>
                {t(STORAGE_NOTICE[s.state], {
                  file: s.file,
                  backup: s.backupFile ?? t('storage.noBackup'),
                  corrupt: s.corruptFile ?? s.file,
                })}
              </MessageBarBody>
            </MessageBar>
          ))}
          <LogFailureNotice initial={info.log} />
          <SaveStatus status={editor.status} />
          <RenewStatus state={renewal.state} />
          {editor.selection.kind === 'none' ? (
            editor.loaded ? (
              <EmptyState onNew={editor.newProfile} />
            ) : null
          ) : (
            <>
              <MaskHeader profile={current} dirty={editor.dirty}>
                <TestSummary steps={tester.steps} running={tester.running} report={tester.report} />
              </MaskHeader>
              <CertificateTesterContext.Provider value={tester}>
                <ProfileForm
                  editor={editor}
                  onRenew={() => void renewal.renew()}
                  renewing={renewal.state.kind === 'running'}
                  hintsCollapsed={hintsCollapsed}
                  onHintsCollapsed={collapseHints}
                />
              </CertificateTesterContext.Provider>
            </>
          )}
          {/* Under the form at 1280×800: drawn once the window is idle after the first paint (heights: their usual room). */}
          {current ? (
            <BelowFold height={600}>
              <SetupAssistant
                profile={current}
                adopt={editor.adopt}
                testing={tester.running}
                onProbe={(mailbox) => void test.run({ ...test.options, probe: true, probeMailbox: mailbox })}
              />
            </BelowFold>
          ) : null}
          {current?.accountType === 'modern-auth' ? (
            <BelowFold height={160}>
              <SignInSection profile={current} signIn={signIn} />
            </BelowFold>
          ) : null}
          {current ? (
            <BelowFold height={220}>
              <ConnectionTestPanel
                profile={current}
                options={test.options}
                onOptions={test.setOptions}
                steps={tester.steps}
                finishedAt={tester.report?.finishedAt ?? null}
                running={tester.running}
                error={tester.error}
                disabledReason={test.disabledReason}
              />
            </BelowFold>
          ) : null}
          {current ? (
            <BelowFold height={68}>
              <HistorySection profile={current} />
            </BelowFold>
          ) : null}
        </main>
      </div>
      <Deferred
        open={editor.pendingLeave || editor.confirmDelete || editor.confirmCloudChange || editor.weakEncryptionPrompt !== null}
      >
        <ProfileDialogs editor={editor} />
      </Deferred>
      {/* Inline in a landmark: every message in the window belongs to a named region (axe "region"). */}
      <aside aria-label={t('app.notifications')}>
        {/* After the first paint; a toast said before it waits (components/toasts.tsx). */}
        <Deferred open={false}>
          <AppToaster />
        </Deferred>
      </aside>
      <Deferred open={settingsDialog.open}>
        <SettingsDialog open={settingsDialog.open} info={info} onClose={settingsDialog.close} />
      </Deferred>
      <Deferred open={testAll.state.open}>
        <TestAllDialog
          state={testAll.state}
          onClose={testAll.close}
          onSelect={(id) => {
            testAll.close();
            editor.selectProfile(id);
          }}
        />
      </Deferred>
      <Deferred open={overviewOpen}>
        <ExpiryOverview
          open={overviewOpen}
          profiles={editor.profiles}
          onClose={() => setOverviewOpen(false)}
          onSelect={(id) => {
            setOverviewOpen(false);
            editor.selectProfile(id);
          }}
        />
      </Deferred>
    </div>
  );
}

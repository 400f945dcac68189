import { MessageBar, MessageBarBody, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppInfo, Settings } from '../shared/domain';
import { AppToolbar } from './features/toolbar/AppToolbar';
import { EmptyState } from './features/profiles/EmptyState';
import { SettingsDialog } from './features/settings/SettingsDialog';
import { ExpiryOverview } from './features/profiles/ExpiryOverview';
import { ProfileDialogs } from './features/profiles/ProfileDialogs';
import { ProfileForm } from './features/profiles/ProfileForm';
import { ProfileList } from './features/profiles/ProfileList';
import { SaveStatus } from './features/profiles/SaveStatus';
import { useProfileEditor } from './features/profiles/useProfileEditor';
import { ConnectionTestPanel } from './features/connection-test/ConnectionTestPanel';
import { SignInSection } from './features/sign-in/SignInSection';
import { useSignIn } from './features/sign-in/useSignIn';
import { useTestRun } from './features/connection-test/useTestRun';
import { CertificateTesterContext } from './features/certificate/tester-context';
import { RenewStatus } from './features/profiles/RenewStatus';
import { useEditorShortcuts } from './features/profiles/useEditorShortcuts';
import { useSecretRenewal } from './features/profiles/useSecretRenewal';
import { useSettingsDialog } from './features/settings/useSettingsDialog';
import { LogFailureNotice } from './features/log-file/LogFailureNotice';
import { DemoBanner } from './features/demo/DemoBanner';
import { TestAllDialog } from './features/test-all/TestAllDialog';
import { useTestAll } from './features/test-all/useTestAll';

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
  useEditorShortcuts(editor);
  const current = editor.current;
  const test = useTestRun(editor);
  const tester = test.tester;
  const renewal = useSecretRenewal(editor, tester);
  const signIn = useSignIn(current?.accountType === 'modern-auth' ? current.id : null, editor.refresh);
  const settingsDialog = useSettingsDialog(settings, editor.weakEncryptionPrompt);
  const [overviewOpen, setOverviewOpen] = useState(false);
  const testAll = useTestAll(editor.refresh);

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
          <LogFailureNotice initial={info.log} />
          <SaveStatus status={editor.status} />
          <RenewStatus state={renewal.state} />
          {editor.selection.kind === 'none' ? (
            editor.loaded ? (
              <EmptyState onNew={editor.newProfile} />
            ) : null
          ) : (
            <CertificateTesterContext.Provider value={tester}>
              <ProfileForm editor={editor} onRenew={() => void renewal.renew()} renewing={renewal.state.kind === 'running'} />
            </CertificateTesterContext.Provider>
          )}
          {current?.accountType === 'modern-auth' ? (
            <SignInSection profile={current} signIn={signIn} disabled={editor.dirty} />
          ) : null}
          {current ? (
            <ConnectionTestPanel
              profile={current}
              options={test.options}
              onOptions={test.setOptions}
              steps={tester.steps}
              finishedAt={tester.report?.finishedAt ?? null}
              running={tester.running}
              error={tester.error}
              disabledReason={test.disabledReason}
              onRun={() => void test.run()}
            />
          ) : null}
        </main>
      </div>
      <ProfileDialogs editor={editor} />
      <SettingsDialog open={settingsDialog.open} info={info} onClose={settingsDialog.close} />
      <TestAllDialog
        state={testAll.state}
        onClose={testAll.close}
        onSelect={(id) => {
          testAll.close();
          editor.selectProfile(id);
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

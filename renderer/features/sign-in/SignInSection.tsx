import {
  Button,
  Card,
  CardHeader,
  Field,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { SignOutRegular } from '@fluentui/react-icons';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useSuccessToast } from '../../components/toasts';
import type { ProfileView } from '../../../shared/domain';
import { refreshNeedsSignIn } from '../../../shared/profile-health';
import { cloudNativeClientRedirectUri } from '../../../shared/clouds';
import { LOOPBACK_REDIRECT_URI } from '../../../shared/redirect-uris';
import { CopyButton } from '../../components/CopyButton';
import { StepRow } from '../connection-test/StepRow';
import type { SignIn } from './useSignIn';

/** The redirect URI the manual's app registration ("Mobile and desktop applications") already has. */

const useStyles = makeStyles({
  card: { maxWidth: '820px' },
  row: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  uri: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  list: { listStyleType: 'none', margin: 0, padding: 0 },
});

export function SignInSection({ profile, signIn }: { profile: ProfileView; signIn: SignIn }): React.JSX.Element {
  const styles = useStyles();
  const { t, i18n } = useTranslation();
  const account = profile.delegated;
  const { state } = signIn;
  const formatDate = (iso: string): string =>
    new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
  const inBrowser = profile.signInMethod === 'system-browser';
  // The nativeclient URI of the profile's cloud (login.microsoftonline.us for US Government).
  const redirectUri = inBrowser ? LOOPBACK_REDIRECT_URI : cloudNativeClientRedirectUri(profile.cloud);
  const refreshError = account?.lastRefreshError ?? null;
  const needsSignIn = refreshError !== null && refreshNeedsSignIn(refreshError.diagnosisId);
  const toast = useSuccessToast();
  const signedInAs =
    state.kind === 'done' && state.result.outcome === 'signed-in' ? (state.result.profile.delegated?.username ?? '') : null;
  // Success is a toast that goes away; the account row above keeps saying who is signed in.
  useEffect(() => {
    if (signedInAs !== null) toast('signed-in', t('auth.signedIn', { account: signedInAs }), { 'data-signin': 'signed-in' });
  }, [state, signedInAs, t, toast]);
  return (
    <Card className={styles.card} aria-labelledby="signin-title">
      <CardHeader
        header={
          <Text as="h3" id="signin-title" weight="semibold" size={400}>
            {t('auth.account')}
          </Text>
        }
      />
      <div className={styles.row} data-part="account">
        {account ? (
          <>
            <Text weight="semibold">{account.username}</Text>
            <Text>{t('auth.lastSignIn', { date: formatDate(account.lastInteractiveSignIn) })}</Text>
          </>
        ) : (
          <Text>{t('auth.notSignedIn')}</Text>
        )}
      </div>
      {/* "Authentifizieren" lives in the toolbar only: one place for each action. */}
      {account ? (
        <div className={styles.row}>
          <Button icon={<SignOutRegular />} disabled={signIn.busy} onClick={() => void signIn.signOut()}>
            {t('auth.signOut')}
          </Button>
        </div>
      ) : null}
      {refreshError !== null ? (
        <MessageBar intent={needsSignIn ? 'error' : 'warning'} layout="multiline" data-signin="refresh-failed">
          <MessageBarBody>
            {t('auth.refreshFailed', {
              date: formatDate(refreshError.at),
              reason: t(`diagnostics:${refreshError.diagnosisId}.title`),
              code: refreshError.code ?? '—',
            })}{' '}
            {needsSignIn ? t('auth.refreshFailedSignIn', { mailbox: profile.senderAddress }) : t('auth.refreshFailedRetry')}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      <Field label={t('auth.redirectUri')} hint={inBrowser ? t('auth.redirectHintLoopback') : t('auth.redirectHint')}>
        <div className={styles.row}>
          <Text className={styles.uri} data-part="redirect-uri">
            {redirectUri}
          </Text>
          <CopyButton value={redirectUri} label={t('auth.redirectUri')} />
        </div>
      </Field>
      {state.kind === 'busy' ? (
        <MessageBar intent="info" data-signin="busy">
          <MessageBarBody>
            {state.phase === 'exchanging-code'
              ? t('auth.exchanging')
              : inBrowser
                ? t('auth.waitingBrowser', { mailbox: profile.senderAddress })
                : t('auth.waiting', { mailbox: profile.senderAddress })}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => void signIn.cancel()}>{t('dialogs.cancel')}</Button>
          </MessageBarActions>
        </MessageBar>
      ) : null}
      {state.kind === 'done' && state.result.outcome === 'cancelled' ? (
        <MessageBar intent="warning" data-signin="cancelled">
          <MessageBarBody>
            {state.result.reason === 'timeout'
              ? t('auth.timeout')
              : t('auth.cancelled', { redirectUri: state.result.redirectUri })}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {state.kind === 'done' && state.result.outcome === 'failed' ? (
        <ul className={styles.list} data-signin="failed">
          <StepRow step={state.result.step} profileName={profile.name} finishedAt={null} />
        </ul>
      ) : null}
      {state.kind === 'error' ? (
        <MessageBar intent="error" data-signin="error">
          <MessageBarBody>{t(`errors.${state.code}`)}</MessageBarBody>
        </MessageBar>
      ) : null}
    </Card>
  );
}

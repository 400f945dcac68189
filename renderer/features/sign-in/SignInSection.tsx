import {
  Button,
  Card,
  CardHeader,
  Field,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { PersonKeyRegular, SignOutRegular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
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

export function SignInSection({
  profile,
  signIn,
  disabled,
}: {
  profile: ProfileView;
  signIn: SignIn;
  disabled: boolean;
}): React.JSX.Element {
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
      <div className={styles.row}>
        <Button
          appearance="primary"
          icon={signIn.busy ? <Spinner size="tiny" /> : <PersonKeyRegular />}
          disabled={disabled || signIn.busy}
          onClick={() => void signIn.signIn()}
        >
          {t('toolbar.authenticate')}
        </Button>
        {account ? (
          <Button icon={<SignOutRegular />} disabled={signIn.busy} onClick={() => void signIn.signOut()}>
            {t('auth.signOut')}
          </Button>
        ) : null}
      </div>
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
      {state.kind === 'done' && state.result.outcome === 'signed-in' ? (
        <MessageBar intent="success" data-signin="signed-in">
          <MessageBarBody>{t('auth.signedIn', { account: state.result.profile.delegated?.username ?? '' })}</MessageBarBody>
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

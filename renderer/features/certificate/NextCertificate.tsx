import { Button, MessageBar, MessageBarBody, Select, Text, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowSwapRegular, CertificateRegular, PlayRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProfileView } from '../../../shared/domain';
import type { AppErrorDto } from '../../../shared/errors';
import type { SwitchCertificateResult, TestReport } from '../../../shared/ipc/contract';
import { api, ApiError } from '../../api';
import { errorText } from '../../i18n/error-text';
import { CertificateFacts } from './CertificateFacts';
import { CertificateImport } from './CertificateImport';
import { useCertificateTester } from './tester-context';

const useStyles = makeStyles({
  box: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, marginTop: tokens.spacingVerticalM },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
  note: { color: tokens.colorNeutralForeground3 },
});

export const VALIDITY_MONTHS = [6, 12, 24] as const;
export type ValidityMonths = (typeof VALIDITY_MONTHS)[number];
export const DAYS_OF: Record<ValidityMonths, number> = { 6: 182, 12: 365, 24: 730 };
export const monthsOf = (value: string): ValidityMonths => (Number(value) === 6 ? 6 : Number(value) === 24 ? 24 : 12);

/** The certificate's validity choice, the same for the current and the next certificate. */
export function ValiditySelect(props: { months: ValidityMonths; onChange: (months: ValidityMonths) => void }): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <Select
      aria-label={t('certificate.validity')}
      value={String(props.months)}
      onChange={(_e, d) => props.onChange(monthsOf(d.value))}
    >
      {VALIDITY_MONTHS.map((m) => (
        <option key={m} value={m}>
          {t('certificate.months', { count: m })}
        </option>
      ))}
    </Select>
  );
}

type Outcome =
  | { kind: 'idle' | 'tested-ok' | 'tested-failed' | 'rejected' }
  | { kind: 'switched'; old: { thumbprintSha256: string; thumbprintSha1: string } | null; secretHint: string | null };

/**
 * The successor certificate: created or imported while the current credential (an older certificate or a
 * client secret) stays in use, uploaded in Entra, tested with its own key, and only then made current.
 */
export function NextCertificate(props: {
  profile: ProfileView;
  revision: number;
  onSaved: (profile: ProfileView) => void;
}): React.JSX.Element {
  const styles = useStyles();
  const { t } = useTranslation();
  const tester = useCertificateTester();
  const [months, setMonths] = useState<ValidityMonths>(12);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppErrorDto | null>(null);
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const { profile } = props;
  const next = profile.certificateNext;
  const fromSecret = profile.accountType === 'client-secret';

  const guarded = async <T,>(work: () => Promise<T>): Promise<T | null> => {
    setBusy(true);
    setError(null);
    try {
      return await work();
    } catch (e) {
      setError(e instanceof ApiError ? e.dto : { code: 'internal', params: {} });
      return null;
    } finally {
      setBusy(false);
    }
  };
  // Through the window's test panel when there is one: the admin sees the candidate's steps there.
  const tracked = <T,>(call: () => Promise<T>, reportOf: (r: T) => TestReport): Promise<T | null> =>
    tester ? tester.track(profile.id, call, reportOf) : call();
  const tokenOk = (report: TestReport): boolean => report.steps.find((s) => s.id === 'token')?.status === 'ok';

  const create = async (): Promise<void> => {
    const saved = await guarded(() =>
      api.certificates.create({ profileId: profile.id, revision: props.revision, validityDays: DAYS_OF[months], slot: 'next' }),
    );
    if (saved) {
      setOutcome({ kind: 'idle' });
      props.onSaved(saved);
    }
  };
  const test = async (): Promise<void> => {
    const report = await guarded(() =>
      tracked(
        () => api.certificates.testNext({ profileId: profile.id }),
        (r) => r,
      ),
    );
    if (report) setOutcome({ kind: tokenOk(report) ? 'tested-ok' : 'tested-failed' });
  };
  const switchNow = async (): Promise<void> => {
    const result = await guarded(() =>
      tracked(
        () => api.certificates.switchNext({ profileId: profile.id, revision: props.revision }),
        (r: SwitchCertificateResult) => r.report,
      ),
    );
    if (!result) return;
    if (result.outcome === 'switched') {
      setOutcome({ kind: 'switched', old: result.replaced, secretHint: result.replacedSecretHint });
      props.onSaved(result.report.profile);
    } else setOutcome({ kind: 'rejected' });
  };

  return (
    <section
      className={styles.box}
      aria-label={t(fromSecret ? 'certificate.switch.title' : 'certificate.next.title')}
      data-next-certificate
    >
      <Text weight="semibold">{t(fromSecret ? 'certificate.switch.title' : 'certificate.next.title')}</Text>
      <Text className={styles.note}>{t(fromSecret ? 'certificate.switch.intro' : 'certificate.next.intro')}</Text>
      {next ? (
        <>
          <CertificateFacts profileId={profile.id} certificate={next} slot="next" onError={setError} />
          <MessageBar intent="info" layout="multiline">
            <MessageBarBody>{t('certificate.upload')}</MessageBarBody>
          </MessageBar>
          <div className={styles.row}>
            <Button icon={<PlayRegular />} disabled={busy} onClick={() => void test()}>
              {t('certificate.next.test')}
            </Button>
            <Button appearance="primary" icon={<ArrowSwapRegular />} disabled={busy} onClick={() => void switchNow()}>
              {t('certificate.next.switch')}
            </Button>
          </div>
        </>
      ) : (
        <>
          <div className={styles.row}>
            <ValiditySelect months={months} onChange={setMonths} />
            <Button icon={<CertificateRegular />} disabled={busy} onClick={() => void create()}>
              {busy ? t('certificate.creating') : t('certificate.next.create')}
            </Button>
          </div>
          <CertificateImport profile={profile} revision={props.revision} slot="next" onSaved={props.onSaved} />
        </>
      )}
      {outcome.kind === 'tested-ok' ? (
        <MessageBar intent="success" data-next-outcome="tested-ok">
          <MessageBarBody>{t('certificate.next.testedOk')}</MessageBarBody>
        </MessageBar>
      ) : outcome.kind === 'tested-failed' || outcome.kind === 'rejected' ? (
        <MessageBar intent="error" layout="multiline" data-next-outcome={outcome.kind}>
          <MessageBarBody>{t(fromSecret ? 'certificate.switch.rejected' : 'certificate.next.rejected')}</MessageBarBody>
        </MessageBar>
      ) : outcome.kind === 'switched' ? (
        <MessageBar intent="success" layout="multiline" data-next-outcome="switched">
          <MessageBarBody>
            {outcome.old
              ? t('certificate.next.switched', { thumbprint: outcome.old.thumbprintSha1, sha256: outcome.old.thumbprintSha256 })
              : t('certificate.switch.switched', { hint: outcome.secretHint ?? '' })}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {error ? (
        <MessageBar intent="error">
          <MessageBarBody>{errorText(t, error)}</MessageBarBody>
        </MessageBar>
      ) : null}
    </section>
  );
}

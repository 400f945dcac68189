import { MessageBar, MessageBarBody, MessageBarTitle, makeStyles, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { DemoInfo } from '../../../shared/domain';

const useStyles = makeStyles({
  // Always visible above the toolbar: no close button, so a demo window can never pass for the real app.
  banner: { borderRadius: 0 },
  accounts: { display: 'flex', flexWrap: 'wrap', columnGap: tokens.spacingHorizontalL, fontFamily: tokens.fontFamilyMonospace },
});

/** Demo mode's permanent banner: the emulator's test accounts, so an evaluating admin can sign in. */
export function DemoBanner({ demo }: { demo: DemoInfo }): React.JSX.Element {
  const styles = useStyles();
  const { t } = useTranslation();
  return (
    <MessageBar intent="info" layout="multiline" className={styles.banner} data-demo-banner="">
      <MessageBarBody>
        <MessageBarTitle>{t('demo.title')}</MessageBarTitle>
        {t('demo.tenant', { tenantId: demo.tenantId, domain: demo.tenantDomain, mfaCode: demo.mfaCode })}
        <span className={styles.accounts} aria-label={t('demo.accounts')}>
          {demo.accounts.map((a) => (
            <span key={a.upn}>
              {a.upn} / {a.password}
            </span>
          ))}
        </span>
      </MessageBarBody>
    </MessageBar>
  );
}

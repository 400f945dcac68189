import { Button, Text, makeStyles, tokens } from '@fluentui/react-components';
import { ChevronDownRegular, ChevronRightRegular, InfoRegular } from '@fluentui/react-icons';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { HelpLink } from '../../components/HelpLink';

const useStyles = makeStyles({
  // Neutral, not a warning: these notes stand for every profile; warning colour is kept for findings.
  root: {
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
  },
  toggle: { fontWeight: tokens.fontWeightRegular, color: tokens.colorNeutralForeground2 },
  list: { margin: `${tokens.spacingVerticalXS} 0 ${tokens.spacingVerticalS}`, paddingLeft: tokens.spacingHorizontalXXL },
});

/** The manual's standing notes for the profile's account type; folded away once read, and kept so across restarts. */
export function ManualHints({
  appOnly,
  isSecretType,
  collapsed,
  onCollapsed,
}: {
  appOnly: boolean;
  isSecretType: boolean;
  collapsed: boolean;
  onCollapsed: (collapsed: boolean) => void;
}): React.JSX.Element {
  const styles = useStyles();
  const { t } = useTranslation();
  const listId = useId();
  return (
    <section className={styles.root} aria-label={t('manual.title')} data-manual-hints={collapsed ? 'collapsed' : 'expanded'}>
      <Button
        appearance="transparent"
        className={styles.toggle}
        icon={collapsed ? <ChevronRightRegular /> : <ChevronDownRegular />}
        aria-expanded={!collapsed}
        aria-controls={listId}
        onClick={() => onCollapsed(!collapsed)}
      >
        <InfoRegular />
        &nbsp;{t('manual.title')}
      </Button>
      {collapsed ? null : (
        <ul className={styles.list} id={listId}>
          <li>
            <Text>{t('manual.noPersonalMailbox')}</Text>
          </li>
          {appOnly ? (
            <li>
              <Text>{t('manual.restrictApp')}</Text> <HelpLink topic="rbac-applications" />
            </li>
          ) : (
            <li>
              <Text>{t('manual.reSignIn')}</Text>
            </li>
          )}
          {isSecretType ? (
            <li>
              <Text>{t('manual.secretOnce')}</Text>
            </li>
          ) : null}
        </ul>
      )}
    </section>
  );
}

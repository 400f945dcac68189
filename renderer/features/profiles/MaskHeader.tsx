import { Badge, Title3, makeStyles, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProfileView } from '../../../shared/domain';

const useStyles = makeStyles({
  // Stays at the top while the mask scrolls, so the title and the test's answer are always in view.
  root: {
    position: 'sticky',
    top: 0,
    zIndex: 1,
    // Over <main>'s side padding too (App's spacingHorizontalXXL): no card edge or shadow shows beside it when scrolled.
    marginInline: `calc(-1 * ${tokens.spacingHorizontalXXL})`,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalXXL} ${tokens.spacingVerticalS}`,
    backgroundColor: tokens.colorNeutralBackground2,
    display: 'flex',
    alignItems: 'baseline',
    flexWrap: 'wrap',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXS,
  },
  // The browser's h2 margins would open an empty band above the title inside the sticky bar.
  title: { margin: 0 },
});

/** The open profile's title, its unsaved marker and the last test's one-line answer. */
export function MaskHeader({
  profile,
  dirty,
  children,
}: {
  profile: ProfileView | null;
  dirty: boolean;
  children?: ReactNode;
}): React.JSX.Element {
  const styles = useStyles();
  const { t } = useTranslation();
  return (
    <div className={styles.root} data-part="mask-header">
      <Title3 as="h2" id="mask-title" className={styles.title}>
        {profile ? profile.name : t('mask.newTitle')}
      </Title3>
      {dirty ? (
        <Badge appearance="tint" color="warning" aria-label={t('mask.unsaved')}>
          {t('mask.unsaved')}
        </Badge>
      ) : null}
      {children}
    </div>
  );
}

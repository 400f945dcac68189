import { makeStyles, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { AppToolbar } from './components/AppToolbar';
import { EmptyState } from './features/profiles/EmptyState';
import { ProfileList } from './features/profiles/ProfileList';
import { useProfiles } from './features/profiles/useProfiles';

const useStyles = makeStyles({
  root: { display: 'grid', gridTemplateRows: 'auto 1fr', height: '100vh', backgroundColor: tokens.colorNeutralBackground2 },
  body: { display: 'grid', gridTemplateColumns: '300px 1fr', minHeight: 0 },
  list: { borderRight: `1px solid ${tokens.colorNeutralStroke2}`, backgroundColor: tokens.colorNeutralBackground1, minHeight: 0 },
  main: { padding: tokens.spacingHorizontalXXL, overflow: 'auto' },
});

export function App(): React.JSX.Element {
  const styles = useStyles();
  const { t } = useTranslation();
  const { profiles, selectedId, select } = useProfiles();
  return (
    <div className={styles.root}>
      <AppToolbar onNew={() => select(null)} />
      <div className={styles.body}>
        <nav className={styles.list} aria-label={t('list.title')}>
          <ProfileList profiles={profiles} selectedId={selectedId} onSelect={select} />
        </nav>
        <main className={styles.main}>{profiles.length === 0 ? <EmptyState onNew={() => select(null)} /> : null}</main>
      </div>
    </div>
  );
}

import { Input, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { SearchRegular } from '@fluentui/react-icons';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProfileView } from '../../../shared/domain';
import { ProfileBadges } from './ProfileBadges';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', height: '100%' },
  header: { padding: tokens.spacingHorizontalM, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  items: { listStyleType: 'none', margin: 0, padding: 0, overflowY: 'auto', flex: 1 },
  item: {
    display: 'block',
    width: '100%',
    textAlign: 'left',
    border: 'none',
    background: 'none',
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    cursor: 'pointer',
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
  },
  selected: { backgroundColor: tokens.colorNeutralBackground1Selected },
  empty: { padding: tokens.spacingHorizontalM, color: tokens.colorNeutralForeground3 },
  badges: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS, marginTop: tokens.spacingVerticalXS },
});

export function ProfileList(props: {
  profiles: ProfileView[];
  selectedId: string | null;
  onSelect: (id: string) => void;
}): React.JSX.Element {
  const styles = useStyles();
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const now = new Date();
  const visible = useMemo(() => {
    const q = query.trim().toLowerCase();
    return q === '' ? props.profiles : props.profiles.filter((p) => `${p.name} ${p.senderAddress}`.toLowerCase().includes(q));
  }, [props.profiles, query]);
  return (
    <div className={styles.root}>
      <div className={styles.header}>
        <Text as="h2" weight="semibold" size={400}>
          {t('list.title')}
        </Text>
        <Input
          contentBefore={<SearchRegular />}
          placeholder={t('list.search')}
          aria-label={t('list.search')}
          value={query}
          onChange={(_e, data) => setQuery(data.value)}
        />
        <Text size={200}>{t('list.count', { count: props.profiles.length })}</Text>
      </div>
      {visible.length === 0 ? (
        <Text className={styles.empty}>{props.profiles.length === 0 ? t('list.empty') : t('list.noMatch')}</Text>
      ) : (
        <ul className={styles.items} aria-label={t('list.title')}>
          {visible.map((p) => (
            <li key={p.id}>
              <button
                type="button"
                className={mergeClasses(styles.item, p.id === props.selectedId && styles.selected)}
                aria-current={p.id === props.selectedId}
                onClick={() => props.onSelect(p.id)}
              >
                <Text weight="semibold" block>
                  {p.name}
                </Text>
                <Text size={200} block>
                  {t(`accountType.${p.accountType}`)} · {p.senderAddress}
                </Text>
                <span className={styles.badges}>
                  <ProfileBadges profile={p} now={now} />
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

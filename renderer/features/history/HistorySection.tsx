import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Card,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { HistoryRegular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ProfileView } from '../../../shared/domain';
import type { HistoryEntry } from '../../../shared/transfer/profile-transfer';
import { api } from '../../api';

const useStyles = makeStyles({
  card: { maxWidth: '820px' },
  list: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    maxHeight: '320px',
    overflowY: 'auto',
  },
  entry: { display: 'grid', gridTemplateColumns: '190px 1fr', gap: tokens.spacingHorizontalM },
  when: { color: tokens.colorNeutralForeground3, fontVariantNumeric: 'tabular-nums' },
  muted: { color: tokens.colorNeutralForeground3 },
});

/** One line of the history in the admin's language; a secret change names the fact, never a value. */
export function historyText(t: TFunction, entry: HistoryEntry): string {
  switch (entry.kind) {
    case 'edited':
      return t('history.edited', { fields: entry.fields.map((f) => t(`history.field.${f}`)).join(', ') });
    case 'signed-in':
      return t('history.signed-in', { username: entry.username });
    case 'tested':
      return entry.failedStep === null
        ? t(`history.tested.${entry.outcome}`)
        : t('history.testedAt', { outcome: t(`history.tested.${entry.outcome}`), step: t(`steps.label.${entry.failedStep}`) });
    case 'created':
    case 'imported':
    case 'secret-replaced':
    case 'secret-renewed':
    case 'certificate-replaced':
    case 'signed-out':
      return t(`history.kind.${entry.kind}`);
  }
}

/** The mask's collapsible "Verlauf": read again whenever the stored profile changes (save, test, sign-in). */
export function HistorySection(props: { profile: ProfileView }): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const { profile } = props;
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);
  const stamp = [
    profile.id,
    profile.revision,
    profile.updatedAt,
    profile.lastTest?.at,
    profile.delegated?.lastInteractiveSignIn,
    profile.secret.secretHint,
  ].join('|');
  useEffect(() => {
    let live = true;
    api.profiles
      .history({ profileId: profile.id })
      .then((list) => live && setEntries(list))
      .catch(() => live && setEntries([]));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the stamp names every stored change the history records
  }, [stamp]);
  const format = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  const newestFirst = [...(entries ?? [])].reverse();
  return (
    <Card className={styles.card}>
      <Accordion collapsible>
        <AccordionItem value="history">
          <AccordionHeader icon={<HistoryRegular />} as="h3">
            {t('history.title')}
            {entries ? ` (${entries.length})` : ''}
          </AccordionHeader>
          <AccordionPanel>
            {newestFirst.length === 0 ? (
              <Text className={styles.muted}>{t('history.empty')}</Text>
            ) : (
              <ol className={styles.list} aria-label={t('history.title')}>
                {newestFirst.map((entry, i) => (
                  <li key={`${entry.at}-${i}`} className={styles.entry} data-history={entry.kind}>
                    <Text className={styles.when}>{format.format(new Date(entry.at))}</Text>
                    <Text>{historyText(t, entry)}</Text>
                  </li>
                ))}
              </ol>
            )}
          </AccordionPanel>
        </AccordionItem>
      </Accordion>
    </Card>
  );
}

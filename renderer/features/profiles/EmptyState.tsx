import { Button, Text, Title2, makeStyles, tokens } from '@fluentui/react-components';
import { AddRegular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';

const useStyles = makeStyles({
  root: {
    maxWidth: '560px',
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    marginTop: tokens.spacingVerticalXXXL,
  },
});

export function EmptyState({ onNew }: { onNew: () => void }): React.JSX.Element {
  const styles = useStyles();
  const { t } = useTranslation();
  return (
    <section className={styles.root} aria-labelledby="empty-title">
      <Title2 as="h2" id="empty-title">
        {t('empty.title')}
      </Title2>
      <Text>{t('empty.body')}</Text>
      <div>
        <Button appearance="primary" icon={<AddRegular />} onClick={onNew}>
          {t('empty.action')}
        </Button>
      </div>
    </section>
  );
}

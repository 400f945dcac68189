import {
  Menu,
  MenuItemRadio,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Text,
  Toolbar,
  ToolbarButton,
  ToolbarDivider,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { AddRegular, DeleteRegular, LocalLanguageRegular, PlugConnectedRegular, SaveRegular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from '../../shared/domain';
import { api } from '../api';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    paddingLeft: tokens.spacingHorizontalM,
    paddingRight: tokens.spacingHorizontalM,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  title: { marginRight: tokens.spacingHorizontalL },
  spacer: { flex: 1 },
});

export function AppToolbar(props: { onNew: () => void }): React.JSX.Element {
  const styles = useStyles();
  const { t, i18n } = useTranslation();
  const changeLanguage = async (language: Language): Promise<void> => {
    await api.settings.update({ language });
    await i18n.changeLanguage(language);
  };
  return (
    <header className={styles.root}>
      <Text as="h1" weight="semibold" size={500} className={styles.title}>
        {t('app.title')}
      </Text>
      <Toolbar aria-label={t('app.title')} className={styles.spacer}>
        <ToolbarButton icon={<AddRegular />} onClick={props.onNew}>
          {t('toolbar.new')}
        </ToolbarButton>
        <ToolbarButton icon={<SaveRegular />} disabled>
          {t('toolbar.save')}
        </ToolbarButton>
        <ToolbarButton icon={<PlugConnectedRegular />} disabled>
          {t('toolbar.test')}
        </ToolbarButton>
        <ToolbarDivider />
        <ToolbarButton icon={<DeleteRegular />} disabled>
          {t('toolbar.delete')}
        </ToolbarButton>
      </Toolbar>
      <Menu
        checkedValues={{ language: [i18n.language] }}
        onCheckedValueChange={(_e, data) => {
          const next = data.checkedItems[0];
          if (next === 'de' || next === 'en') void changeLanguage(next);
        }}
      >
        <MenuTrigger disableButtonEnhancement>
          <ToolbarButton icon={<LocalLanguageRegular />} aria-label={t('toolbar.language')}>
            {t(`language.${i18n.language}`)}
          </ToolbarButton>
        </MenuTrigger>
        <MenuPopover>
          <MenuList>
            {LANGUAGES.map((lng) => (
              <MenuItemRadio key={lng} name="language" value={lng}>
                {t(`language.${lng}`)}
              </MenuItemRadio>
            ))}
          </MenuList>
        </MenuPopover>
      </Menu>
    </header>
  );
}

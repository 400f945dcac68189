import {
  Menu,
  MenuItemRadio,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Spinner,
  Text,
  Toolbar,
  ToolbarButton,
  ToolbarDivider,
  Tooltip,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import {
  AddRegular,
  CalendarClockRegular,
  CopyAddRegular,
  DeleteRegular,
  LocalLanguageRegular,
  PersonKeyRegular,
  PlugConnectedCheckmarkRegular,
  PlugConnectedRegular,
  SaveRegular,
  SettingsRegular,
} from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../shared/domain';
import { LANGUAGES } from '../../../shared/domain-basics';
import { api } from '../../api';
import { switchLanguage } from '../../i18n/i18n';
import type { ProfileEditor } from '../profiles/useProfileEditor';
import { RelayToolbarButton } from '../relay/RelayToolbarButton';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    paddingLeft: tokens.spacingHorizontalL,
    paddingRight: tokens.spacingHorizontalM,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  title: { marginRight: tokens.spacingHorizontalL },
  // One line at 1280 px: labels never wrap, the toolbar scrolls sideways on narrow windows instead.
  // Buttons keep their width (a shrunk Fluent button lets its label run into the next one); the strip scrolls instead.
  toolbar: { flex: 1, minWidth: 0, overflowX: 'auto', whiteSpace: 'nowrap', '& > *': { flexShrink: 0 } },
});

export function AppToolbar(props: {
  editor: ProfileEditor;
  testing: boolean;
  onTest: () => void;
  onOverview: () => void;
  onSettings: () => void;
  signingIn: boolean;
  onAuthenticate: () => void;
  /** "Test all" (renderer/features/test-all): the button lives here, the feature there. */
  testAll?: { onRun: () => void; disabled: boolean };
  /** Export / import (renderer/features/transfer): its menu, placed here. */
  transfer?: React.ReactNode;
}): React.JSX.Element {
  const { editor, testing, onTest } = props;
  const styles = useStyles();
  const { t, i18n } = useTranslation();
  const changeLanguage = async (language: Language): Promise<void> => {
    await api.settings.update({ language });
    await switchLanguage(i18n, language);
  };
  const open = editor.selection.kind !== 'none';
  const busy = editor.status.kind === 'busy';
  return (
    <header className={styles.root}>
      <Text as="h1" weight="semibold" size={500} className={styles.title}>
        {t('app.title')}
      </Text>
      <Toolbar aria-label={t('toolbar.label')} className={styles.toolbar}>
        <ToolbarButton icon={<AddRegular />} onClick={editor.newProfile}>
          {t('toolbar.new')}
        </ToolbarButton>
        <ToolbarButton
          icon={<SaveRegular />}
          disabled={!open || busy || (!editor.dirty && editor.selection.kind !== 'new')}
          onClick={() => void editor.save()}
        >
          {t('toolbar.save')}
        </ToolbarButton>
        <ToolbarButton
          icon={testing ? <Spinner size="tiny" /> : <PlugConnectedRegular />}
          disabled={!editor.current || editor.dirty || testing}
          onClick={onTest}
        >
          {t('toolbar.test')}
        </ToolbarButton>
        {props.testAll ? (
          <ToolbarButton icon={<PlugConnectedCheckmarkRegular />} disabled={props.testAll.disabled} onClick={props.testAll.onRun}>
            {t('testAll.action')}
          </ToolbarButton>
        ) : null}
        {editor.values.accountType === 'modern-auth' && open ? (
          <ToolbarButton
            icon={props.signingIn ? <Spinner size="tiny" /> : <PersonKeyRegular />}
            disabled={!editor.current || editor.dirty || props.signingIn}
            onClick={props.onAuthenticate}
          >
            {t('toolbar.authenticate')}
          </ToolbarButton>
        ) : null}
        <ToolbarDivider />
        {/* The manual's actions keep their labels; the others are icons named by their tooltip, so all fit at 1280 px. */}
        <Tooltip content={t('toolbar.duplicate')} relationship="label">
          <ToolbarButton icon={<CopyAddRegular />} disabled={!editor.current || busy} onClick={editor.duplicate} />
        </Tooltip>
        <Tooltip content={t('expiry.overview')} relationship="label">
          <ToolbarButton icon={<CalendarClockRegular />} onClick={props.onOverview} />
        </Tooltip>
        <RelayToolbarButton />
        <Tooltip content={t('toolbar.delete')} relationship="label">
          <ToolbarButton icon={<DeleteRegular />} disabled={!editor.current || busy} onClick={editor.askDelete} />
        </Tooltip>
      </Toolbar>
      {props.transfer}
      <Tooltip content={t('settings.open')} relationship="label">
        <ToolbarButton icon={<SettingsRegular />} onClick={props.onSettings} />
      </Tooltip>
      <Menu
        checkedValues={{ language: [i18n.language] }}
        onCheckedValueChange={(_e, data) => {
          const next = data.checkedItems[0];
          if (next === 'de' || next === 'en') void changeLanguage(next);
        }}
      >
        <MenuTrigger disableButtonEnhancement>
          <ToolbarButton
            icon={<LocalLanguageRegular />}
            aria-label={`${t('toolbar.language')}: ${t(`language.${i18n.language}`)}`}
          >
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

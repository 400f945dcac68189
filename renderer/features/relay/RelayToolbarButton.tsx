import { ToolbarButton } from '@fluentui/react-components';
import { MailArrowForwardRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RelayPanel } from './RelayPanel';

/** The toolbar's "SMTP-Relay": the button and its panel in one, so the toolbar only places it. */
export function RelayToolbarButton(): React.JSX.Element {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <ToolbarButton icon={<MailArrowForwardRegular />} onClick={() => setOpen(true)}>
        {t('relay.open')}
      </ToolbarButton>
      {open ? <RelayPanel onClose={() => setOpen(false)} /> : null}
    </>
  );
}

import { ToolbarButton, Tooltip } from '@fluentui/react-components';
import { MailArrowForwardRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Deferred, RelayPanel } from '../../lazy-parts';

/** The toolbar's "SMTP-Relay": the button and its panel in one, so the toolbar only places it. */
export function RelayToolbarButton(): React.JSX.Element {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Tooltip content={t('relay.open')} relationship="label">
        <ToolbarButton icon={<MailArrowForwardRegular />} onClick={() => setOpen(true)} />
      </Tooltip>
      {/* Its own chunk: only drawn when opened. */}
      <Deferred open={open}>{open ? <RelayPanel onClose={() => setOpen(false)} /> : null}</Deferred>
    </>
  );
}

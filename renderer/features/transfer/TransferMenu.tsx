import { Menu, MenuItem, MenuList, MenuPopover, MenuTrigger, ToolbarButton, Tooltip } from '@fluentui/react-components';
import { ArrowDownloadRegular, ArrowSwapRegular, ArrowUploadRegular } from '@fluentui/react-icons';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Deferred, TransferDialogs } from '../../lazy-parts';

/** What the menu asks of the dialogs; a new object per choice, so the same choice twice acts twice. */
export type TransferRequest = { kind: 'export' } | { kind: 'import'; file: File };

/**
 * Export and import of the profiles (no secrets): the toolbar's menu and the file picker. Their dialogs
 * (TransferDialogs) load after the first paint, or at once when asked for earlier.
 */
export function TransferMenu(props: { onImported: () => Promise<void> | void }): React.JSX.Element {
  const { t } = useTranslation();
  const fileInput = useRef<HTMLInputElement>(null);
  const [request, setRequest] = useState<TransferRequest | null>(null);
  return (
    <>
      <Menu>
        {/* Icon-only beside the settings: the toolbar's labels already fill 1280 px in German. */}
        <Tooltip content={t('transfer.menu')} relationship="label">
          <MenuTrigger disableButtonEnhancement>
            <ToolbarButton icon={<ArrowSwapRegular />} />
          </MenuTrigger>
        </Tooltip>
        <MenuPopover>
          <MenuList>
            <MenuItem icon={<ArrowDownloadRegular />} onClick={() => setRequest({ kind: 'export' })}>
              {t('transfer.export')}
            </MenuItem>
            <MenuItem icon={<ArrowUploadRegular />} onClick={() => fileInput.current?.click()}>
              {t('transfer.import')}
            </MenuItem>
          </MenuList>
        </MenuPopover>
      </Menu>
      <input
        ref={fileInput}
        type="file"
        accept=".json,application/json"
        hidden
        data-testid="import-file"
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          e.currentTarget.value = ''; // the same file can be chosen again after a fix
          if (file) setRequest({ kind: 'import', file });
        }}
      />
      <Deferred open={request !== null}>
        <TransferDialogs request={request} onImported={props.onImported} />
      </Deferred>
    </>
  );
}

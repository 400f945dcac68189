import { makeStyles, tokens } from '@fluentui/react-components';

/** The size of one table dialog: how wide it may grow and how tall its table before the table scrolls. */
export interface TableDialogSize {
  maxWidth: string;
  tableMaxHeight: string;
}

/**
 * The styles hook of a dialog built around a table (relay, test all, import, expiry overview): one layout for
 * all of them, each with its own size. Call at module level, as makeStyles itself.
 */
export function makeTableDialogStyles(size: TableDialogSize) {
  return makeStyles({
    surface: { maxWidth: size.maxWidth, width: '100%' },
    content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
    // The table scrolls inside the dialog instead of pushing the dialog's buttons off the screen.
    table: { maxHeight: size.tableMaxHeight, overflowY: 'auto' },
    nowrap: { whiteSpace: 'nowrap' },
    // A profile name as a link-like button: it starts at the column's edge and stays on one line, as in the list.
    nameButton: { justifyContent: 'flex-start', whiteSpace: 'nowrap', paddingLeft: 0, minWidth: 0 },
    mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, wordBreak: 'break-all' },
  });
}

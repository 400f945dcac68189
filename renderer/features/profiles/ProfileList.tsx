import { Input, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { SearchRegular } from '@fluentui/react-icons';
import { elementScroll, measureElement, useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import { memo, useDeferredValue, useMemo, useRef, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ProfileView } from '../../../shared/domain';
import { ProfileBadges } from './ProfileBadges';
import { buildFilterIndex, filterProfiles } from './profile-filter';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', height: '100%', minHeight: 0 },
  header: { padding: tokens.spacingHorizontalM, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  scroller: { overflowY: 'auto', flex: 1, minHeight: 0 },
  items: { listStyleType: 'none', margin: 0, padding: 0, position: 'relative', width: '100%' },
  row: { position: 'absolute', top: 0, left: 0, width: '100%' },
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
  // A row's two lines as Fluent's <Text weight="semibold" block> and <Text size={200} block> draw them, as plain
  // spans: two Text components per row were a good part of the list's first render (renderer.ready_ratio).
  name: {
    display: 'block',
    fontFamily: tokens.fontFamilyBase,
    fontSize: tokens.fontSizeBase300,
    lineHeight: tokens.lineHeightBase300,
    fontWeight: tokens.fontWeightSemibold,
  },
  meta: {
    display: 'block',
    fontFamily: tokens.fontFamilyBase,
    fontSize: tokens.fontSizeBase200,
    lineHeight: tokens.lineHeightBase200,
    fontWeight: tokens.fontWeightRegular,
  },
});

// A row with name, two lines of type and address, one line of badges (as measured at 1280×800); a matching
// estimate spares the re-render after measuring. Rows are still measured, since badges may wrap.
const ESTIMATED_ROW_PX = 92;

type RowVirtualizer = Virtualizer<HTMLDivElement, HTMLLIElement>;

/**
 * The scroller's size from its ResizeObserver only. TanStack's default also reads clientHeight when the list
 * mounts, which forces a layout of the whole page in the middle of the first commit (renderer.ready_ratio);
 * until the observer reports (after the first layout, before the paint), `initialRect` stands in.
 */
function observeScroller(instance: RowVirtualizer, cb: (rect: { width: number; height: number }) => void): () => void {
  const element = instance.scrollElement;
  if (!element || typeof ResizeObserver === 'undefined') return () => undefined;
  // Inside the observer's callback the layout is fresh: reading it costs nothing.
  const observer = new ResizeObserver(() => cb({ width: element.clientWidth, height: element.clientHeight }));
  observer.observe(element);
  return () => observer.disconnect();
}

/**
 * Scrolls the list, except to the top while it is at the top: TanStack writes the offset once when the scroller
 * mounts, and that scrollTo({ top: 0 }) forces a layout in the first commit for nothing.
 */
function scrollList(
  offset: number,
  options: { adjustments?: number; behavior?: ScrollBehavior },
  instance: RowVirtualizer,
): void {
  if (offset + (options.adjustments ?? 0) === 0 && (instance.scrollOffset ?? 0) === 0) return;
  elementScroll(offset, options, instance);
}

/**
 * A row's height from its ResizeObserver entry; when a row mounts (no entry yet), the size known so far or the
 * estimate instead of TanStack's offsetHeight, another forced layout per commit. The observer's first report
 * follows within the same frame, so a row whose badges wrap still gets its real height before it is painted.
 */
function measureRow(element: HTMLLIElement, entry: ResizeObserverEntry | undefined, instance: RowVirtualizer): number {
  if (entry) return measureElement(element, entry, instance);
  const index = instance.indexFromElement(element);
  return instance.itemSizeCache.get(instance.options.getItemKey(index)) ?? ESTIMATED_ROW_PX;
}

export function ProfileList(props: {
  profiles: ProfileView[];
  selectedId: string | null;
  onSelect: (id: string) => void;
}): React.JSX.Element {
  const styles = useStyles();
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  // The field shows each keystroke at once; filtering and the rows follow when React has time (1000 profiles).
  const deferredQuery = useDeferredValue(query);
  const index = useMemo(() => buildFilterIndex(props.profiles), [props.profiles]);
  const visible = useMemo(() => filterProfiles(index, deferredQuery), [index, deferredQuery]);
  // One "now" per list: the badges' relative days, without a new Date making every row differ per keystroke.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- a new list (a save, a test) is when the days are counted again
  const now = useMemo(() => new Date(), [props.profiles]);

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
      <ProfileRows
        visible={visible}
        total={props.profiles.length}
        selectedId={props.selectedId}
        onSelect={props.onSelect}
        now={now}
      />
    </div>
  );
}

/**
 * The virtualised rows, memoised: a keystroke's urgent render (the field) skips them, and they render once
 * the deferred filter result is there.
 */
const ProfileRows = memo(function ProfileRows(props: {
  visible: readonly ProfileView[];
  total: number;
  selectedId: string | null;
  onSelect: (id: string) => void;
  now: Date;
}): React.JSX.Element {
  const styles = useStyles();
  const { t, i18n } = useTranslation();
  const { visible, now } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  // The compiler skips memoising this component (TanStack's functions change per render); nothing here is memoised by hand either.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer<HTMLDivElement, HTMLLIElement>({
    count: visible.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ESTIMATED_ROW_PX,
    // The rows in view on the first render (the list is at most the window's height), not one pass later.
    initialRect: { width: 320, height: window.innerHeight },
    observeElementRect: observeScroller,
    scrollToFn: scrollList,
    measureElement: measureRow,
    getItemKey: (i) => visible[i]?.id ?? i,
    overscan: 2,
  });
  // Only the rows in view exist in the DOM, so arrow keys scroll the target into view before focusing it.
  const focusRow = (target: number): void => {
    const i = Math.max(0, Math.min(visible.length - 1, target));
    virtualizer.scrollToIndex(i, { align: 'auto' });
    const focus = (attempt: number): void => {
      const button = listRef.current?.querySelector<HTMLButtonElement>(`button[data-index="${i}"]`);
      if (button) button.focus();
      else if (attempt < 5) requestAnimationFrame(() => focus(attempt + 1));
    };
    focus(0);
  };
  // One handler for all rows (delegation), so the memoised rows need no per-render callback.
  const onClick = (event: React.MouseEvent<HTMLUListElement>): void => {
    const id = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-id]')?.dataset['id'];
    if (id !== undefined) props.onSelect(id);
  };
  const onKeyDown = (event: React.KeyboardEvent<HTMLUListElement>): void => {
    const current = Number((event.target as HTMLElement).dataset['index']);
    if (Number.isNaN(current)) return;
    const step: Record<string, number> = { ArrowDown: current + 1, ArrowUp: current - 1, Home: 0, End: visible.length - 1 };
    const target = step[event.key];
    if (target === undefined) return;
    event.preventDefault();
    focusRow(target);
  };

  return (
    <>
      {visible.length === 0 ? (
        <Text className={styles.empty}>{props.total === 0 ? t('list.empty') : t('list.noMatch')}</Text>
      ) : (
        <div ref={scroller} className={styles.scroller}>
          <ul
            ref={listRef}
            className={styles.items}
            aria-label={t('list.title')}
            style={{ height: virtualizer.getTotalSize() }}
            onKeyDown={onKeyDown}
            onClick={onClick}
          >
            {virtualizer.getVirtualItems().map((row) => {
              const p = visible[row.index];
              if (!p) return null;
              return (
                <ProfileRow
                  key={row.key}
                  profile={p}
                  index={row.index}
                  start={row.start}
                  setSize={visible.length}
                  selected={p.id === props.selectedId}
                  now={now}
                  measure={virtualizer.measureElement}
                  t={t}
                  language={i18n.language}
                />
              );
            })}
          </ul>
        </div>
      )}
    </>
  );
});

/** One row; memoised, so a keystroke re-renders only the search field until the filtered list is ready. */
const ProfileRow = memo(function ProfileRow({
  profile: p,
  index,
  start,
  setSize,
  selected,
  now,
  measure,
  t,
  language,
}: {
  profile: ProfileView;
  index: number;
  start: number;
  setSize: number;
  selected: boolean;
  now: Date;
  measure: (element: HTMLLIElement | null) => void;
  /** The list's translation: one useTranslation per list, not one per row and badge (renderer.ready_ratio). */
  t: TFunction;
  language: string;
}): React.JSX.Element {
  const styles = useStyles();
  return (
    <li
      ref={measure}
      data-index={index}
      className={styles.row}
      style={{ transform: `translateY(${start}px)` }}
      // Screen readers announce "n of 1000" although only the rows in view are rendered.
      aria-setsize={setSize}
      aria-posinset={index + 1}
    >
      <button
        type="button"
        data-index={index}
        data-id={p.id}
        className={mergeClasses(styles.item, selected && styles.selected)}
        aria-current={selected}
      >
        <span className={styles.name}>{p.name}</span>
        <span className={styles.meta}>
          {t(`accountType.${p.accountType}`)} · {p.senderAddress}
        </span>
        <span className={styles.badges}>
          <ProfileBadges profile={p} now={now} t={t} language={language} />
        </span>
      </button>
    </li>
  );
});

import { Text, makeStyles, tokens } from '@fluentui/react-components';
import { CopyButton } from './CopyButton';

const useStyles = makeStyles({
  chip: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalXS,
    maxWidth: '100%',
    paddingLeft: tokens.spacingHorizontalS,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground3,
  },
  // The label never breaks; the value breaks only after its hyphens, never inside a word.
  label: { whiteSpace: 'nowrap', color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  value: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    wordBreak: 'normal',
    overflowWrap: 'normal',
    hyphens: 'none',
  },
});

/** An ID Microsoft support asks for (request, correlation, client, tenant): read, then copy with one click. */
export function IdChip({ label, value }: { label: string; value: string }): React.JSX.Element {
  const styles = useStyles();
  return (
    <span className={styles.chip} data-id-chip={label}>
      <Text className={styles.label}>{label}</Text> <Text className={styles.value}>{value}</Text>
      <CopyButton value={value} label={label} size="small" />
    </span>
  );
}

import { Button, Tooltip } from '@fluentui/react-components';
import { CheckmarkRegular, CopyRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';

/** Every ID, URI and script gets one; never used for a secret (there is no way to read one back). */
export function CopyButton({
  value,
  label,
  size = 'medium',
}: {
  value: string;
  label: string;
  size?: 'small' | 'medium';
}): React.JSX.Element {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const copy = async (): Promise<void> => {
    // Through main: the renderer has no clipboard permission, and main redacts what it copies.
    await api.app.copy({ text: value.trim() });
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  const name = t('actions.copyNamed', { name: label });
  return (
    <Tooltip content={copied ? t('actions.copied') : name} relationship="description">
      <Button
        appearance="subtle"
        size={size}
        aria-label={name}
        icon={copied ? <CheckmarkRegular /> : <CopyRegular />}
        disabled={value.trim() === ''}
        onClick={() => void copy()}
      />
    </Tooltip>
  );
}

import { Dropdown, Field, Option } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { CLOUD_IDS } from '../../../shared/clouds';
import type { ProfileEditor } from './useProfileEditor';

/** The profile's Microsoft cloud: a fixed choice, never a host typed in (shared/clouds.ts holds the hosts). */
export function CloudField({ editor, className }: { editor: ProfileEditor; className: string }): React.JSX.Element {
  const { t } = useTranslation();
  const { values, setField } = editor;
  return (
    <Field className={className} orientation="horizontal" label={t('fields.cloud')} hint={t('hints.cloud')}>
      <Dropdown
        name="cloud"
        value={t(`cloud.${values.cloud}`)}
        selectedOptions={[values.cloud]}
        onOptionSelect={(_e, data) => {
          const cloud = CLOUD_IDS.find((id) => id === data.optionValue);
          if (cloud !== undefined) setField('cloud', cloud);
        }}
      >
        {CLOUD_IDS.map((id) => (
          <Option key={id} value={id}>
            {t(`cloud.${id}`)}
          </Option>
        ))}
      </Dropdown>
    </Field>
  );
}

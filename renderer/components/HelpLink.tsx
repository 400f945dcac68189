import { Link } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { HelpTopic } from '../../shared/help';
import { api } from '../api';

/** Opens Microsoft's how-to in the system browser; the main process knows the only allowed URLs. */
export function HelpLink({ topic }: { topic: HelpTopic }): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <Link as="button" inline onClick={() => void api.app.openHelp({ topic })}>
      {t(`help.${topic}`)}
    </Link>
  );
}

import './zod-config';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { StrictMode } from 'react';
import './global.css';
import { createRoot } from 'react-dom/client';
import { api } from './api';
import { App } from './App';
import { initI18n, pickLanguage } from './i18n/i18n';
import { showStartupNotice } from './startup-notice';

async function boot(): Promise<void> {
  const root = document.getElementById('root');
  if (!root) throw new Error('#root missing');
  // The first calls wait in the main process until the core is ready (keychain); say so meanwhile.
  const cancelNotice = showStartupNotice(root, navigator.language);
  const [info, settings] = await Promise.all([api.app.info(), api.settings.get()]);
  cancelNotice();
  const i18n = await initI18n(pickLanguage(settings.language, info.osLanguage));
  document.documentElement.lang = i18n.language;
  i18n.on('languageChanged', (lng) => (document.documentElement.lang = lng));
  createRoot(root).render(
    <StrictMode>
      <FluentProvider theme={webLightTheme} style={{ height: '100%' }}>
        <App info={info} settings={settings} />
      </FluentProvider>
    </StrictMode>,
  );
}

void boot();

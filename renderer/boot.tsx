import { createDOMRenderer, FluentProvider, RendererProvider, webLightTheme } from '@fluentui/react-components';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { firstCalls } from './first-calls';
import { initI18n } from './i18n/i18n';
import { languageOfTag, loadTexts } from './i18n/texts';
import { showStartupNotice } from './startup-notice';
import { styleNonce } from './style-nonce';

async function boot(): Promise<void> {
  const root = document.getElementById('root');
  if (!root) throw new Error('#root missing');
  // The first calls wait in the main process until the core is ready (keychain); say so meanwhile.
  const cancelNotice = showStartupNotice(root, loadTexts(languageOfTag(navigator.language)));
  // Started by main.tsx; the first render waits for the list too, so it draws the mask once, filled.
  const { info, settings, language, texts } = await firstCalls();
  cancelNotice();
  const i18n = await initI18n(language, texts);
  document.documentElement.lang = i18n.language;
  i18n.on('languageChanged', (lng) => (document.documentElement.lang = lng));
  // Griffel's and FluentProvider's <style> elements carry this load's nonce: the CSP has no 'unsafe-inline' (EL-7).
  const nonce = styleNonce(document);
  const renderer = createDOMRenderer(document, nonce === undefined ? {} : { styleElementAttributes: { nonce } });
  createRoot(root).render(
    <StrictMode>
      <RendererProvider renderer={renderer} targetDocument={document}>
        <FluentProvider theme={webLightTheme} targetDocument={document} style={{ height: '100%' }}>
          <App info={info} settings={settings} />
        </FluentProvider>
      </RendererProvider>
    </StrictMode>,
  );
}

void boot();

// npm run preview [-- --screenshot FILE] [-- --lang en]: builds the renderer and shows the app in Chromium against
// the demo emulator (headed when a display exists). An evaluation tool: the demo world only (e2e/hosts/preview.ts).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { openPreview, parsePreviewArgs, screenshotPreview } from '../e2e/hosts/preview';

const root = join(import.meta.dirname, '..');
const options = parsePreviewArgs(process.argv.slice(2));
if ('error' in options) {
  console.error(`Absender preview: ${options.error}`);
  process.exit(2);
}
const hasDisplay = Boolean(process.env['DISPLAY'] || process.env['WAYLAND_DISPLAY']);
if (options.screenshot === null && !hasDisplay) {
  console.error('Absender preview: no display (DISPLAY / WAYLAND_DISPLAY unset); use npm run preview -- --screenshot FILE');
  process.exit(2);
}

const build = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build'], {
  cwd: root,
  stdio: 'inherit',
});
if (build.status !== 0) {
  console.error('Absender preview: vite build failed.');
  process.exit(1);
}

const preview = await openPreview({ ...options, headless: options.screenshot !== null || !hasDisplay });
if (options.screenshot !== null) {
  const result = await screenshotPreview(preview, options.screenshot, options.lang).finally(() => preview.close());
  // One JSON line for scripts and the integration test; the exit code says whether the demo test passed.
  console.log(JSON.stringify(result));
  process.exit(result.outcome === 'ok' ? 0 : 1);
}

console.log(`Absender preview (evaluation tool, demo world only): close the browser window or press Ctrl+C to stop.
  Demo tenant ${preview.session.demo.tenantDomain}; the sign-in accounts are in the banner. Data dir: ${preview.dataDir} (removed on exit)`);
const stop = (): void => void preview.close().then(() => process.exit(0));
preview.host.browser.on('disconnected', stop);
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

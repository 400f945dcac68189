// npm start: build, then run the Electron app — or explain clearly why it cannot start here.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const pkg = join(root, 'node_modules/electron');
const pathTxt = join(pkg, 'path.txt');
// Found by its files: require('electron') would try to download the binary on the spot.
const binary = existsSync(pathTxt) ? join(pkg, 'dist', readFileSync(pathTxt, 'utf8').trim()) : null;

if (!binary || !existsSync(binary)) {
  console.error(`Absender: the Electron binary is not installed, so the desktop app cannot start.

  npm ci installs the electron package without its binary (install scripts are off by default in npm 11).
  On a machine that can reach GitHub's release downloads, fetch it once with:

      node node_modules/electron/install.js

  or set ELECTRON_MIRROR / ELECTRON_CUSTOM_DIR to an internal mirror first (see Electron's installation docs).
  Everything but the window itself also runs without it: "npm test" drives the same UI and core in Chromium.`);
  process.exit(1);
}

const build = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build'], {
  stdio: 'inherit',
  cwd: root,
});
if (build.status !== 0) process.exit(build.status ?? 1);
const run = spawnSync(binary, ['.'], { stdio: 'inherit', cwd: root });
process.exit(run.status ?? 1);

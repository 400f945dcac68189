// npm start: build, fetch the Electron binary on first use (Electron's own install.js), run the app.
// `npm start -- --demo` passes --demo through to the app. The decisions live in start-app.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(`Absender: npm start needs Node 24 (this is ${process.version}); run it through "npm start".`);
  process.exit(1);
}

const { startApp } = await import('./start-app.ts');
const root = join(import.meta.dirname, '..');

process.exitCode = startApp({
  root,
  node: process.execPath,
  args: process.argv.slice(2),
  env: process.env,
  run: (command, args) => {
    const result = spawnSync(command, args, { stdio: 'inherit', cwd: root });
    return { status: result.status, error: result.error };
  },
  exists: existsSync,
  readText: (path) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  log: (text) => console.error(text),
});

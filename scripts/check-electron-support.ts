// EL-16: the pinned Electron major is one of the latest three stable majors (Electron supports those).
// Asks the npm registry; where it cannot be reached the check says it was skipped and why.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export function isSupported(installed: string, latest: string): boolean {
  const major = (v: string): number => Number(/^(\d+)\./.exec(v)?.[1] ?? Number.NaN);
  return major(installed) >= major(latest) - 2 && major(installed) <= major(latest);
}

// Proves the rule on samples before trusting it.
const SAMPLES: [string, string, boolean][] = [
  ['45.5.0', '45.5.0', true],
  ['43.1.0', '45.0.0', true],
  ['42.9.9', '45.0.0', false],
];
for (const [installed, latest, expected] of SAMPLES) {
  if (isSupported(installed, latest) !== expected) throw new Error(`EL-16 rule wrong for ${installed} vs ${latest}`);
}

export function main(): void {
  const installed = (JSON.parse(readFileSync('node_modules/electron/package.json', 'utf8')) as { version: string }).version;
  execFile('npm', ['view', 'electron', 'dist-tags.latest'], { timeout: 30_000 }, (error, stdout) => {
    const latest = stdout.trim();
    if (error || !/^\d+\.\d+\.\d+/.test(latest)) {
      console.log(`EL-16 skipped: the npm registry did not answer (${error?.message.split('\n')[0] ?? 'no version'})`);
      return;
    }
    if (!isSupported(installed, latest)) {
      // A new Electron release must not turn main red without a change of ours: it fails where a release is
      // built (REQUIRE_SUPPORTED_ELECTRON=1) and warns everywhere else.
      const strict = process.env['REQUIRE_SUPPORTED_ELECTRON'] === '1';
      console[strict ? 'error' : 'warn'](
        `EL-16${strict ? '' : ' warning'}: electron ${installed} is not among the latest three stable majors (latest ${latest})`,
      );
      if (strict) process.exit(1);
      return;
    }
    console.log(`EL-16: electron ${installed} is supported (latest stable ${latest})`);
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();

import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
let dir: string | undefined;
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), 'scripts/preview.ts', ...args], {
      cwd: root,
      env: { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Width and height from a PNG's IHDR chunk (bytes 16–23), after checking the signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('npm run preview -- --screenshot FILE', () => {
  it(
    'builds, tests a demo profile against the demo emulator and writes a 1280×800 screenshot',
    { timeout: 180_000 },
    async () => {
      dir = await mkdtemp(join(tmpdir(), 'absender-preview-test-'));
      const file = join(dir, 'shot.png');
      const { code, stdout, stderr } = await run(['--screenshot', file]);
      expect(code, stderr).toBe(0);
      const line =
        stdout
          .trim()
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .at(-1) ?? '{}';
      expect(JSON.parse(line)).toMatchObject({
        screenshot: file,
        width: 1280,
        height: 800,
        outcome: 'ok',
        banner: 'Demo – simulierte Microsoft-365-Umgebung; nichts verlässt diesen Computer',
      });
      expect(pngSize(await readFile(file))).toEqual({ width: 1280, height: 800 });
    },
  );

  it('refuses to run without the demo world (no way to hand it a data dir) and without a display unless --screenshot', async () => {
    const refused = await run(['--data-dir', join(tmpdir(), 'x')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('demo world');
    const headless = await run([]);
    expect(headless.code).toBe(2);
    expect(headless.stderr).toContain('--screenshot FILE');
  });
});

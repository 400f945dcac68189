import { describe, expect, it } from 'vitest';
import { t } from '../../../shared/i18n/translate';
import { lenientOutFile, runCommand, type CommandDeps } from './run-command';

function deps(files: Map<string, string>, failWrite = false) {
  const io = { stdout: '', stderr: '', opened: 0 };
  const d: CommandDeps = {
    stdout: { write: (s: string) => (io.stdout += s) },
    stderr: { write: (s: string) => (io.stderr += s) },
    osLanguage: 'de',
    clock: { now: () => new Date('2026-01-01T00:00:00Z') },
    openCore: () => {
      io.opened += 1;
      return Promise.reject(new Error('disk gone'));
    },
    writeFile: (path, text) => (failWrite ? Promise.reject(new Error('EACCES')) : (files.set(path, text), Promise.resolve())),
  };
  return { d, io };
}

describe('runCommand', () => {
  it('no command: usage on stderr, 64; --help: usage on stdout, 0', async () => {
    const { d, io } = deps(new Map());
    expect(await runCommand([], d)).toEqual({ exitCode: 64 });
    expect(io.stderr).toContain(t('de', 'host:cli.usage'));
    expect(await runCommand(['--help'], d)).toEqual({ exitCode: 0 });
    expect(io.stdout).toContain(t('de', 'host:cli.usage'));
  });

  it('an unknown command names itself before the usage, 64', async () => {
    const { d, io } = deps(new Map());
    expect(await runCommand(['sned'], d)).toEqual({ exitCode: 64 });
    expect(io.stderr.startsWith(t('de', 'host:cli.unknownCommand', { command: 'sned' }))).toBe(true);
  });

  it('check --help in the chosen language, without opening anything', async () => {
    const { d, io } = deps(new Map());
    expect(await runCommand(['check', '--help', '--lang', 'en'], d)).toEqual({ exitCode: 0 });
    expect(io.stdout).toBe(`${t('en', 'host:cli.checkHelp')}\n`);
    expect(io.opened).toBe(0);
  });

  it.each([
    [['check'], 'host:cli.needProfile'],
    [['check', '--all', '--profile', 'ERP'], 'host:cli.allAndProfile'],
    [['check', '--all', '--lang', 'fr'], 'host:cli.invalidLang'],
    [['check', '--all', '--send-test', 'nobody'], 'host:cli.invalidMail'],
  ])('%j is a usage error (64)', async (argv, key) => {
    const { d, io } = deps(new Map());
    expect(await runCommand(argv, d)).toEqual({ exitCode: 64 });
    expect(io.stderr).toContain(t('de', key, { value: argv.at(-1) }));
    expect(io.opened).toBe(0);
  });

  it('send --help in the chosen language; a send without its required options or with an unknown charset: 64', async () => {
    const { d, io } = deps(new Map());
    expect(await runCommand(['send', '--help', '--lang', 'en'], d)).toEqual({ exitCode: 0 });
    expect(io.stdout).toBe(`${t('en', 'host:cli.sendHelp')}\n`);
    expect(await runCommand(['send', '--to', 'a@contoso.com', '--subject', 'x', '--body-file', 'b.txt'], d)).toEqual({
      exitCode: 64,
    });
    expect(io.stderr).toContain(t('de', 'host:cli.sendMissing', { option: '--profile' }));
    const full = ['send', '--profile', 'ERP', '--to', 'a@contoso.com', '--subject', 'x', '--body-file', 'b.txt'];
    expect(await runCommand([...full, '--charset', 'klingon'], d)).toEqual({ exitCode: 64 });
    expect(io.stderr).toContain(t('de', 'host:cli.sendBadCharset', { value: 'klingon' }));
    // A secret has no option: a typo'd or invented --secret is refused, never read.
    expect(await runCommand([...full, '--secret', 'abc'], d)).toEqual({ exitCode: 64 });
    expect(io.opened).toBe(0);
  });

  it('--out gets the error text even of a usage error (a GUI exe may have no console)', async () => {
    const files = new Map<string, string>();
    const { d, io } = deps(files);
    expect(await runCommand(['check', '--out', '/x/r.txt', '--bogus'], d)).toEqual({ exitCode: 64 });
    expect(files.get('/x/r.txt')).toContain("'--bogus'");
    expect(io.stderr).toContain("'--bogus'");
  });

  it('data that cannot be read: 3, the reason on stderr and in --out', async () => {
    const files = new Map<string, string>();
    const { d, io } = deps(files);
    expect(await runCommand(['check', '--all', '--out=/x/r.txt'], d)).toEqual({ exitCode: 3 });
    expect(io.stderr).toBe(`${t('de', 'host:cli.dataUnreadable', { reason: 'disk gone' })}\n`);
    expect(files.get('/x/r.txt')).toBe(io.stderr);
  });

  it('an --out that cannot be written: 74', async () => {
    const { d, io } = deps(new Map(), true);
    expect(await runCommand(['check', '--all', '--out', '/x/r.txt'], d)).toEqual({ exitCode: 74 });
    expect(io.stderr).toContain('EACCES');
  });

  it('lenientOutFile finds --out in both forms, and not after --', () => {
    expect(lenientOutFile(['--x', '--out', 'a'])).toBe('a');
    expect(lenientOutFile(['--out=b'])).toBe('b');
    expect(lenientOutFile(['--', '--out', 'c'])).toBeUndefined();
  });
});

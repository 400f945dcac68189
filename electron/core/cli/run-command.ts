import type { Language } from '../../../shared/domain';
import { t } from '../../../shared/i18n/translate';
import { redactText } from '../logging/redact';
import type { Clock } from '../ports';
import type { HeadlessCore } from './headless-core';
import { runCheck } from './check-command';
import { runSend } from './send-command';
import { runRelay } from '../relay/relay-command';
import { EXIT_IO, EXIT_USAGE, UsageError } from './parse-args';
import { nodeFsSeam, writeFileAtomic } from '../storage/fs-seam';

/** Where a command writes: process.stdout / process.stderr in the app, buffers in tests. */
export interface TextSink {
  write(text: string): unknown;
}

export interface CommandDeps {
  stdout: TextSink;
  stderr: TextSink;
  /** The OS language (startupLanguage()): `--lang` overrides it. */
  osLanguage: Language;
  clock: Clock;
  /** Opens the stores and composes the core only when a command needs it (`--help` reads nothing). */
  openCore: () => Promise<HeadlessCore>;
  /** Atomic write (temp + rename); node:fs by default. */
  writeFile?: (path: string, text: string, mode: number) => Promise<void>;
  /** Ends a long-running command (`relay`); SIGTERM/SIGINT of this process by default. */
  stop?: AbortSignal;
}

/** Aborted on the first SIGTERM or SIGINT: how a service manager or Ctrl+C stops the relay. */
function processStopSignal(): AbortSignal {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return controller.signal;
}

/** EX_SOFTWARE: a bug, reported rather than thrown into Electron's uncaught-exception dialog. */
export const EXIT_INTERNAL = 70;

interface CommandRun {
  exitCode: number;
  outFile: string | undefined;
}
type Command = (
  args: readonly string[],
  ctx: {
    out: (text: string) => void;
    err: (text: string) => void;
    osLanguage: Language;
    clock: Clock;
    openCore: () => Promise<HeadlessCore>;
    writeFile: (path: string, text: string) => Promise<void>;
    live: (text: string) => void;
    stop: AbortSignal;
  },
) => Promise<CommandRun>;

const COMMANDS: Readonly<Record<string, { run: Command; help: string }>> = {
  check: { run: runCheck, help: 'host:cli.checkHelp' },
  send: { run: runSend, help: 'host:cli.sendHelp' },
  relay: { run: runRelay, help: 'host:cli.relayHelp' },
};

/**
 * Where `--out` points even when the strict parse failed: a GUI-subsystem exe on Windows may have no
 * console, so a usage error must reach the file too.
 */
export function lenientOutFile(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg === '--') break;
    if (arg === '--out') return args[i + 1];
    if (arg.startsWith('--out=')) return arg.slice('--out='.length);
  }
  return undefined;
}

/**
 * `Absender <command> …` without a window: the argv after the app path in, an exit code out
 * (0 ok, 1 warnings, 2 failures, 3 data unreadable, 64 usage, 74 output not written). With `--out FILE`
 * the report goes to FILE (written atomically, errors included) and errors still to stderr.
 */
export async function runCommand(argv: readonly string[], deps: CommandDeps): Promise<{ exitCode: number }> {
  const lang = deps.osLanguage;
  const [name, ...args] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    deps.stdout.write(`${t(lang, 'host:cli.usage')}\n`);
    return { exitCode: 0 };
  }
  const command = name === undefined ? undefined : COMMANDS[name];
  if (command === undefined) {
    const head = name === undefined ? '' : `${t(lang, 'host:cli.unknownCommand', { command: name })}\n\n`;
    deps.stderr.write(`${head}${t(lang, 'host:cli.usage')}\n`);
    return { exitCode: EXIT_USAGE };
  }

  const out: string[] = [];
  const err: string[] = [];
  const writeFile =
    deps.writeFile ??
    ((path: string, text: string, mode: number) => Promise.resolve().then(() => writeFileAtomic(path, text, nodeFsSeam, mode)));
  let run: CommandRun;
  try {
    run = await command.run(args, {
      out: (text) => out.push(text),
      err: (text) => err.push(text),
      osLanguage: lang,
      clock: deps.clock,
      openCore: deps.openCore,
      // node_exporter runs as another user: the textfile is readable by others (no secret is in it).
      writeFile: (path, text) => writeFile(path, text, 0o644),
      live: (text) => deps.stdout.write(text),
      // Only the relay waits for it: the signal handlers are installed when it is first read.
      get stop() {
        return deps.stop ?? processStopSignal();
      },
    });
  } catch (error) {
    const usage = error instanceof UsageError;
    err.push(
      usage
        ? `${error.message}\n\n${t(lang, command.help)}\n`
        : `${t(lang, 'host:cli.internal', { reason: redactText(error instanceof Error ? error.message : String(error)).slice(0, 300) })}\n`,
    );
    run = { exitCode: usage ? EXIT_USAGE : EXIT_INTERNAL, outFile: lenientOutFile(args) };
  }

  const errText = err.join('');
  if (errText !== '') deps.stderr.write(errText);
  if (run.outFile === undefined) {
    deps.stdout.write(out.join(''));
    return { exitCode: run.exitCode };
  }
  try {
    // The report may name mailboxes and tenants: only the account that ran it reads the file.
    await writeFile(run.outFile, out.join('') + errText, 0o600);
  } catch (error) {
    const reason = redactText(error instanceof Error ? error.message : String(error)).slice(0, 300);
    deps.stderr.write(`${t(lang, 'host:cli.writeFailed', { file: run.outFile, reason })}\n`);
    return { exitCode: Math.max(run.exitCode, EXIT_IO) };
  }
  return { exitCode: run.exitCode };
}

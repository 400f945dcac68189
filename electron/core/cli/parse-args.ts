import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

/** A command line the command cannot run: the caller prints the usage and exits with 64 (EX_USAGE). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** EX_USAGE of sysexits.h: what schedulers and scripts read as "the command line is wrong". */
export const EXIT_USAGE = 64;
/** EX_IOERR of sysexits.h: `--out` or `--prometheus` could not be written. */
export const EXIT_IO = 74;

/**
 * node:util parseArgs in strict mode, no positionals: an unknown option, a missing value or a stray
 * word is a UsageError, never silently ignored (a typo in a scheduled job must fail loudly).
 */
export function parseStrict<T extends ParseArgsOptionsConfig>(args: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

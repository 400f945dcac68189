import type { DemoHandoff } from './demo-handoff';

/** What the host does at launch, in the order launch() calls it; index.ts passes Electron's app and the openers. */
export interface LaunchDeps {
  /** The command's argv (`Absender check …`), or null for the window (commandArgv). */
  command: string[] | null;
  demo: boolean;
  /** Runs the headless command: no window and no single-instance lock (a running GUI must not block a scheduled job). */
  runCommand: (argv: string[]) => void;
  /** app.setPath('userData', …) to the demo's own dir: the lock is scoped to userData, so this comes first. */
  useDemoDataDir: () => void;
  /** app.requestSingleInstanceLock(additionalData): false = another instance got our argv and runs. */
  requestSingleInstanceLock: (additionalData: { argv: string[] }) => boolean;
  /** Registers the first instance's 'second-instance' listener as soon as it holds the lock. */
  onSecondInstance: () => void;
  /** The built-in emulator (binds a port, makes a CA): only in the instance that holds the lock. */
  openDemo: () => Promise<DemoHandoff | undefined>;
  startWindow: (demo: DemoHandoff | undefined) => void;
  quit: () => void;
  exit: (code: number) => void;
}

export type LaunchOutcome = 'command' | 'second-instance' | 'window' | 'demo-unavailable';

/**
 * The order that keeps one window per data dir: command before anything (no lock); the demo's data dir, then the
 * lock, and only with the lock the emulator and the stores, so a second instance binds no port and opens no file.
 */
export async function launch(deps: LaunchDeps, argv: readonly string[]): Promise<LaunchOutcome> {
  if (deps.command !== null) {
    deps.runCommand(deps.command);
    return 'command';
  }
  if (deps.demo) deps.useDemoDataDir();
  // additionalData keeps the argv exactly (docs/api/app.md: the event's argv may be reordered or extended).
  if (!deps.requestSingleInstanceLock({ argv: [...argv] })) {
    deps.quit();
    return 'second-instance';
  }
  deps.onSecondInstance();
  const demo = deps.demo ? await deps.openDemo() : undefined;
  if (deps.demo && demo === undefined) {
    deps.exit(1);
    return 'demo-unavailable';
  }
  deps.startWindow(demo);
  return 'window';
}

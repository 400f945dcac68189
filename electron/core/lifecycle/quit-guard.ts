/** How a bounded close ended: everything closed, the time ran out, or close threw. */
export type CloseOutcome = 'closed' | 'timeout' | 'failed';

export interface QuitGuardDeps {
  /** The relay's close (listener stops, open DATA gets 421, the worker ends or marks what it sends) and the rest. */
  close: () => Promise<void>;
  /** After this the process ends anyway: a hung close must not keep a quitting app alive. */
  timeoutMs: number;
  /** Ends the process once closed (app.exit: will-quit is not emitted again, all windows are already closed). */
  exit: () => void;
  /** setTimeout in the app; a fake in tests. */
  sleep?: (ms: number) => Promise<void>;
  log?: (event: string, data: Record<string, string | number>) => void;
}

export interface QuitGuard {
  /** The 'will-quit' listener: holds the quit until the close settled or timed out, then exits. */
  willQuit(event: { preventDefault(): void }): void;
  /**
   * Windows' 'session-end' (log-off, shutdown): before-quit and will-quit are not emitted then and the end cannot be
   * delayed, so the close starts at once (the listener stops accepting); what it does not finish stays on disk.
   */
  sessionEnd(): void;
  /** The one close, started by the first quit or session end (undefined before). */
  readonly closing: Promise<CloseOutcome> | undefined;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One bounded close per process, however many quit requests and session ends arrive. */
export function quitGuard(deps: QuitGuardDeps): QuitGuard {
  const sleep = deps.sleep ?? defaultSleep;
  let closing: Promise<CloseOutcome> | undefined;
  let exiting = false;
  let exitScheduled = false;

  const startClose = (): Promise<CloseOutcome> => {
    closing ??= Promise.race([
      Promise.resolve()
        .then(deps.close)
        .then(
          () => 'closed' as const,
          () => 'failed' as const,
        ),
      sleep(deps.timeoutMs).then(() => 'timeout' as const),
    ]).then((outcome) => {
      deps.log?.('app.quit-closed', { outcome, timeoutMs: deps.timeoutMs });
      return outcome;
    });
    return closing;
  };

  return {
    willQuit(event) {
      // The second will-quit (or one after exit) must pass: preventing it for ever would leave the app unkillable.
      if (exiting) return;
      event.preventDefault();
      // Also when a session end started the close: this quit exits once it settles.
      if (exitScheduled) return;
      exitScheduled = true;
      void startClose().then(() => {
        exiting = true;
        deps.exit();
      });
    },
    sessionEnd() {
      void startClose();
    },
    get closing() {
      return closing;
    },
  };
}

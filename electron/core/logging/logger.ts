import type { Logger } from '../ports';
import { redact, redactText } from './redact';

export interface LogSink {
  write(line: string): void;
}

/** The only way the app logs: every line goes through redact() before it reaches the sink. */
export function createLogger(sink: LogSink, clock: () => Date = () => new Date()): Logger {
  const log =
    (level: string) =>
    (message: string, data?: Record<string, unknown>): void => {
      const payload = data === undefined ? '' : ` ${JSON.stringify(redact(data))}`;
      try {
        sink.write(`${clock().toISOString()} ${level} ${redactText(message)}${payload}`);
      } catch {
        // A full disk must not turn every error report into a crash of its own: the line is lost.
      }
    };
  return { info: log('INFO'), warn: log('WARN'), error: log('ERROR') };
}

/**
 * Where any stage reports progress and warnings: the Functions invocation log, or stderr for the CLI.
 * The one logger interface; a logger that can leave the process scrubs secrets (redact/scrubbingLogger).
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** Where notifiers report warnings (the scan's logger, stderr for the CLI). Same shape as the scan's logger. */
export interface NotifyLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: NotifyLogger = { info() {}, warn() {}, error() {} };

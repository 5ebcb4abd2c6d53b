/** Where a scan reports progress: the Functions invocation log, or stderr for the CLI. */
export interface ScanLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

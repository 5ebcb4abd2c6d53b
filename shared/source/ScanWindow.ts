/** A window of log rows by arrival (ingestion time), with the TimeGenerated range that holds them. */
export interface ScanWindow {
  /** Exclusive: the stored watermark minus the overlap re-read every run. */
  ingestedAfter: Date;
  /** Inclusive: at most now − SCAN_SETTLE_DELAY. */
  ingestedBefore: Date;
  /** TimeGenerated lower bound: ingestedAfter − SCAN_MAX_LATENESS, so late rows are found. */
  timespanStart: Date;
  /** TimeGenerated upper bound; default ingestedBefore + 1 h (a server clock ahead of Azure's). */
  timespanEnd?: Date;
}

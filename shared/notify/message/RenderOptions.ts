import type { Alert } from '../../model/Alert';

/** What every renderer may be told beyond the alerts themselves. */
export interface RenderOptions {
  /**
   * A link to the alert's session in Log Analytics, or null when none can be built
   * (see logAnalyticsSessionLink). Rendered as a link in every format.
   */
  logsLink?: (alert: Alert) => string | null;
  /** Marks every message as a test (`notify-test`). */
  test?: boolean;
}

import type { Logger } from '../util/Logger';
import type { Scrub } from './createScrubber';

/** A logger whose every line goes through `scrub` first; `scrub` is exposed for error text written elsewhere. */
export function scrubbingLogger(log: Logger, scrub: Scrub): Logger & { scrub: Scrub } {
  return {
    info: (m) => log.info(scrub(m)),
    warn: (m) => log.warn(scrub(m)),
    error: (m) => log.error(scrub(m)),
    scrub,
  };
}

import { createScrubber, type Scrub } from '../redact/createScrubber';
import { scrubbingLogger } from '../redact/scrubbingLogger';
import type { Logger } from '../util/Logger';
import type { CliIO } from './CliIO';

/**
 * The CLI's log: stderr, through the one secret scrubber (redact/createScrubber) fed with the given
 * secrets (settings/secretSettings), because messages from SDK errors are not trusted to be free of
 * credentials.
 */
export function stderrLogger(io: Pick<CliIO, 'stderr'>, secrets: Iterable<string | null | undefined>): Logger & { scrub: Scrub } {
  const write = (prefix: string) => (m: string) => void io.stderr.write(`${prefix}${m}\n`);
  return scrubbingLogger({ info: write(''), warn: write('warning: '), error: write('error: ') }, createScrubber(secrets));
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHARED_TLS_DIR, writeCertificates } from './testCertificates';

/**
 * Runs once before the test processes start: one throwaway CA for every https stand-in, trusted through
 * NODE_EXTRA_CA_CERTS exactly as a deployed process would trust a private CA — so tests of the
 * production wiring (the timer function, the CLI's Log Analytics scan) need no test-only TLS options.
 */
export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'pgaudit-alerts-test-ca-'));
  const { caFile } = writeCertificates(dir);
  process.env[SHARED_TLS_DIR] = dir;
  process.env.NODE_EXTRA_CA_CERTS = caFile;
  return () => rmSync(dir, { recursive: true, force: true });
}

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificates {
  /** PEM of the throwaway CA: give it to clients as `tlsOptions.ca` or via NODE_EXTRA_CA_CERTS. */
  ca: string;
  /** Server certificate for localhost / 127.0.0.1, signed by the CA. */
  cert: string;
  key: string;
  /** The CA written to a file (for NODE_EXTRA_CA_CERTS in child processes). */
  caFile: string;
}

let cached: TestCertificates | null = null;

/**
 * A throwaway CA and a localhost server certificate, made once per test process with the openssl CLI.
 * Local stand-ins for Log Analytics, ACS and Slack must be https: the Azure SDKs refuse bearer tokens
 * over plain http, and trusting a CA (not disabling verification) is what production clients do.
 */
export function testCertificates(): TestCertificates {
  if (cached) return cached;
  // Made once by the global setup (test/support/globalSetup.ts) and trusted by every test process
  // through NODE_EXTRA_CA_CERTS, so production code paths (no tlsOptions) reach the stand-ins too.
  const shared = process.env[SHARED_TLS_DIR];
  if (shared) {
    const read = (f: string) => readFileSync(join(shared, f), 'utf8');
    cached = { ca: read('ca.pem'), cert: read('server.pem'), key: read('server.key'), caFile: join(shared, 'ca.pem') };
    return cached;
  }
  cached = createCertificates();
  return cached;
}

/** Env var naming the folder with ca.pem, server.pem and server.key shared by all test processes. */
export const SHARED_TLS_DIR = 'PGAUDIT_ALERTS_TEST_TLS_DIR';

/** Writes a CA and a localhost certificate into `outDir` (for the global setup). */
export function writeCertificates(outDir: string): TestCertificates {
  const made = createCertificates();
  writeFileSync(join(outDir, 'ca.pem'), made.ca);
  writeFileSync(join(outDir, 'server.pem'), made.cert);
  writeFileSync(join(outDir, 'server.key'), made.key);
  return { ...made, caFile: join(outDir, 'ca.pem') };
}

function createCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'pgaudit-alerts-tls-'));
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=pgaudit-alerts test CA',
    '-keyout', 'ca.key', '-out', 'ca.pem', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', 'server.key', '-out', 'server.csr']);
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2',
    '-extfile', 'ext.cnf', '-out', 'server.pem']);
  const ca = readFileSync(join(dir, 'ca.pem'), 'utf8');
  const cert = readFileSync(join(dir, 'server.pem'), 'utf8');
  const key = readFileSync(join(dir, 'server.key'), 'utf8');
  const caDir = mkdtempSync(join(tmpdir(), 'pgaudit-alerts-ca-'));
  const caFile = join(caDir, 'ca.pem');
  writeFileSync(caFile, ca);
  rmSync(dir, { recursive: true, force: true });
  return { ca, cert, key, caFile };
}

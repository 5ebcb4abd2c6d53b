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
  cached = { ca, cert, key, caFile };
  return cached;
}

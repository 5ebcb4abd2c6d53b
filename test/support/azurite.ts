import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { testCertificates } from './testCertificates';

/** Azurite's documented development account; public, not a secret. */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export type AzuriteTable = AzuriteService;

export interface AzuriteService {
  /** `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=...;TableEndpoint=http://127.0.0.1:PORT/devstoreaccount1;` (BlobEndpoint= for blob) */
  connectionString: string;
  /** `http://127.0.0.1:PORT/devstoreaccount1` */
  endpoint: string;
  port: number;
  /** Kills Azurite (its whole process group) and waits for it to exit. Safe to call twice. */
  stop(): Promise<void>;
}

type Service = 'table' | 'blob';
const binary = (service: Service) => join(__dirname, '..', '..', 'node_modules', '.bin', `azurite-${service}`);
const live = new Set<ChildProcess>();

// Last resort when a test file ends without afterAll (worker torn down): never leave Azurite behind.
process.once('exit', () => {
  for (const child of live) killGroup(child, 'SIGKILL');
});

/**
 * Starts Azurite's table service on a free loopback port with in-memory persistence and resolves once it
 * accepts connections. It runs under a small `sh` watchdog that kills it when our stdin pipe closes, so even
 * a worker killed with SIGKILL leaves no orphan behind.
 */
export interface AzuriteOptions {
  /**
   * https with the test CA's localhost certificate and `--oauth basic`, so identity-based clients
   * (bearer tokens, which the SDK sends only over TLS) work; Azurite checks the token's issuer,
   * audience and lifetime, not its signature.
   */
  oauth?: boolean;
}

export function startAzuriteTable(options: AzuriteOptions = {}): Promise<AzuriteTable> {
  return start('table', options);
}

/** The same for Azurite's blob service: the connection string carries `BlobEndpoint=` instead. */
export function startAzuriteBlob(options: AzuriteOptions = {}): Promise<AzuriteService> {
  return start('blob', options);
}

async function start(service: Service, options: AzuriteOptions = {}): Promise<AzuriteService> {
  let lastError: unknown;
  // A free port can be taken between probing and Azurite binding it: retry on another one.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      return await launch(service, port, options);
    } catch (err) {
      lastError = err;
    }
  }
  throw new Error(`Azurite ${service} service did not start after 3 attempts`, { cause: lastError });
}

/**
 * Registers beforeAll/afterAll in the calling test file: one Azurite per file. Returns a getter for the
 * connection string (valid inside tests and later hooks).
 */
export function useAzuriteTable(options: AzuriteOptions = {}): () => AzuriteTable {
  return useAzurite('table', options);
}

/** useAzuriteTable for the blob service. */
export function useAzuriteBlob(options: AzuriteOptions = {}): () => AzuriteService {
  return useAzurite('blob', options);
}

function useAzurite(service: Service, options: AzuriteOptions): () => AzuriteService {
  let azurite: AzuriteService | null = null;
  beforeAll(async () => {
    azurite = await start(service, options);
  });
  afterAll(async () => {
    await azurite?.stop();
    azurite = null;
  });
  return () => {
    if (!azurite) throw new Error(`Azurite ${service} is not running: call use${service === 'table' ? 'AzuriteTable' : 'AzuriteBlob'}() at the top of a test file and use it inside tests`);
    return azurite;
  };
}

async function launch(service: Service, port: number, options: AzuriteOptions): Promise<AzuriteService> {
  // --skipApiVersionCheck: the SDKs speak newer service versions than Azurite 3.35 (the last for Node 20) knows.
  const args = ['--inMemoryPersistence', '--disableTelemetry', '--silent', '--skipApiVersionCheck',
    `--${service}Host`, '127.0.0.1', `--${service}Port`, String(port)];
  if (options.oauth) {
    const dir = mkdtempSync(join(tmpdir(), 'pgaudit-alerts-azurite-tls-'));
    const { cert, key } = testCertificates();
    writeFileSync(join(dir, 'cert.pem'), cert);
    writeFileSync(join(dir, 'key.pem'), key);
    args.push('--oauth', 'basic', '--cert', join(dir, 'cert.pem'), '--key', join(dir, 'key.pem'));
  }
  // `read` returns when the test process (our end of the stdin pipe) goes away; then the watchdog kills Azurite.
  const script = '"$0" "$@" & az=$!; read _unused; kill $az 2>/dev/null; wait $az';
  const child = spawn('sh', ['-c', script, binary(service), ...args], {
    detached: true, // own process group: stop() kills sh and Azurite together
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  live.add(child);
  let output = '';
  child.stdout?.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { output += d.toString(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => { live.delete(child); resolve(); }));

  let stopped: Promise<void> | null = null;
  const stop = () => {
    stopped ??= (async () => {
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
      // Azurite is sh's child, not ours: its exit is seen as the port closing. Forced if it lingers.
      if (!(await portClosed(port, 3000))) {
        killGroup(child, 'SIGKILL');
        await portClosed(port, 3000);
      }
    })();
    return stopped;
  };

  try {
    await waitForPort(service, port, exited, () => output);
  } catch (err) {
    await stop();
    throw err;
  }
  const scheme = options.oauth ? 'https' : 'http';
  const endpoint = `${scheme}://127.0.0.1:${port}/${AZURITE_ACCOUNT}`;
  return {
    connectionString: `DefaultEndpointsProtocol=${scheme};AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};${service === 'table' ? 'Table' : 'Blob'}Endpoint=${endpoint};`,
    endpoint,
    port,
    stop,
  };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

async function waitForPort(service: Service, port: number, exited: Promise<void>, output: () => string): Promise<void> {
  let dead = false;
  void exited.then(() => { dead = true; });
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (dead) throw new Error(`Azurite ${service} service exited before listening on port ${port}: ${output().trim()}`);
    if (await canConnect(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Azurite ${service} service did not accept connections on port ${port} within 20 s: ${output().trim()}`);
}

async function portClosed(port: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (!(await canConnect(port))) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => { socket.destroy(); resolve(false); });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

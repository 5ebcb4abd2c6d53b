import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AggregateAuthenticationError, AuthenticationError, CredentialUnavailableError } from '@azure/identity';
import { commands } from '../../shared/cli/commands';
import { parseArgs } from '../../shared/cli/parseArgs';
import { signInFailure } from '../../shared/errors/signInFailure';
import { LogAnalyticsQueryError } from '../../shared/logAnalytics/LogAnalyticsQueryError';
import { runCliCapture } from '../support/runCliCapture';

const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

describe('CLI: version and help', () => {
  it('prints the version with --version, -V and version', async () => {
    for (const flag of ['--version', '-V', 'version']) {
      const run = await runCliCapture([flag]);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(`pgaudit-alerts ${VERSION} (Node.js ${process.version})\n`);
    }
  });

  it('lists every command in the overview, on stdout for --help and on stderr (exit 1) with no command', async () => {
    const help = await runCliCapture(['--help']);
    expect(help.code).toBe(0);
    for (const name of Object.keys(commands)) expect(help.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    const bare = await runCliCapture([]);
    expect(bare.code).toBe(1);
    expect(bare.stderr).toBe(help.stdout);
  });

  it('shows every option of a command for `help <command>` and `<command> --help`, each one accepted by the command', async () => {
    for (const [name, { spec }] of Object.entries(commands)) {
      const viaHelp = await runCliCapture(['help', name]);
      const viaFlag = await runCliCapture([name, '--help']);
      expect(viaHelp.code).toBe(0);
      expect(viaFlag).toEqual(viaHelp);
      expect(viaHelp.stdout).toContain(`usage: pgaudit-alerts ${name}`);
      for (const [option, o] of Object.entries(spec.options)) {
        expect(viaHelp.stdout, `${name} --${option}`).toMatch(new RegExp(`^  --${option}\\b.*${o.description.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'));
        const argv = o.type === 'string' ? [`--${option}`, 'x'] : [`--${option}`];
        expect(() => parseArgs(spec, argv), `${name} --${option}`).not.toThrow();
      }
    }
    // The options a user would reach for are there (the old usage text missed some).
    const scanHelp = (await runCliCapture(['help', 'scan'])).stdout;
    for (const option of ['--list NAME=a,b', '--server NAME', '--prefix PREFIX', '--rules FILE', '--json']) expect(scanHelp).toContain(`  ${option}`);
  });
});

describe('CLI: messages', () => {
  it('names the command once per message', async () => {
    const run = await runCliCapture(['scan', '--bogus']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("pgaudit-alerts scan: Unknown option '--bogus'; see pgaudit-alerts help scan\n");
    const extra = await runCliCapture(['kql', 'extra']);
    expect(extra.stderr).toMatch(/^pgaudit-alerts kql: unexpected argument "extra"; usage: pgaudit-alerts kql \[--rules FILE\]\n$/);
  });

  it('suggests the command meant', async () => {
    const run = await runCliCapture(['scna']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('unknown command "scna" (did you mean scan?)');
  });

  it('rejects a --list name the rules file does not define, suggesting the closest', async () => {
    const run = await runCliCapture(['scan', '--input', 'test/fixtures/demo/azure-diagnostics.ndjson', '--dry-run', '--list', 'sensitive_table=sales.payment_cards']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--list sensitive_table: the rules file defines no list named "sensitive_table" (did you mean "sensitive_tables"?)');
    expect(run.stderr.match(/pgaudit-alerts scan:/g)).toHaveLength(1);
  });

  it('names an invalid setting and exits 1', async () => {
    const run = await runCliCapture(['kql'], { env: { LOGS_WORKSPACE_ID: 'not-a-guid', SLACK_API_URL: 'http://slack.example/api/' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('LOGS_WORKSPACE_ID: "not-a-guid" is not a GUID');
    expect(run.stderr).toContain('SLACK_API_URL: must be an https:// URL');
  });
});

describe('CLI: Azure sign-in failures', () => {
  it('turns the credential chain and errors caused by it into one line saying what to do', () => {
    const chain = new AggregateAuthenticationError([
      new CredentialUnavailableError('EnvironmentCredential is unavailable.'),
      new CredentialUnavailableError('ManagedIdentityCredential: Network unreachable.'),
      new CredentialUnavailableError("Azure CLI could not be found. ... 'az login'."),
    ], 'ChainedTokenCredential authentication failed.');
    const wrapped = new LogAnalyticsQueryError('5b3f2a1e-0c4d-4e8f-9a7b-1c2d3e4f5a6b', { ingestedAfter: new Date(0), ingestedBefore: new Date(1) }, 'no answer', { cause: chain });
    for (const err of [chain, wrapped]) {
      const line = signInFailure(err)!;
      expect(line).toMatch(/^Azure sign-in failed: no Azure credential is available\. On your machine run `az login`/);
      expect(line).toContain('AZURE_CLIENT_ID');
      expect(line).not.toContain('\n');
    }
    const refused = signInFailure(new AuthenticationError(400, { error: 'invalid_request', error_description: 'Identity not found\nTrace ID: 1' }))!;
    expect(refused).toMatch(/^Azure sign-in failed: the token request was refused \(.*Identity not found/);
    expect(refused).not.toContain('\n');
    expect(signInFailure(new Error('ECONNREFUSED'))).toBeNull();
  });

  it('makes `scan` exit 1 with that one line when no credential can sign in', async () => {
    const closed = await closedPort();
    const env = {
      PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp',
      // Only production credentials (environment, workload identity, managed identity): the result does not
      // depend on whether this machine has the Azure CLI signed in.
      AZURE_TOKEN_CREDENTIALS: 'prod',
      IDENTITY_ENDPOINT: `http://127.0.0.1:${closed}/msi/token`, IDENTITY_HEADER: 'x',
      LOGS_WORKSPACE_ID: '5b3f2a1e-0c4d-4e8f-9a7b-1c2d3e4f5a6b', LOGS_ENDPOINT: `https://127.0.0.1:${closed}/v1`,
      AzureWebJobsStorage__tableServiceUri: `https://127.0.0.1:${closed}/devstoreaccount1`,
    };
    const run = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['dist/shared/cli/main.js', 'scan', '--dry-run'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('exit', (code) => resolve({ code, stderr }));
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Azure sign-in failed: no Azure credential is available. On your machine run `az login`');
    expect(run.stderr).not.toMatch(/CredentialUnavailableError|EnvironmentCredential|at .*\.js:\d+/);
  }, 120_000);
});

function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 9));
    });
  });
}

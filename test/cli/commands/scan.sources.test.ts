import { describe, expect, it } from 'vitest';
import { runCliCapture } from '../../support/runCliCapture';

/** Which polled sources `scan` runs, and the messages when the one asked for cannot run. No service is reached. */
const WORKSPACE = '00000000-0000-0000-0000-000000000001';

describe('scan --source', () => {
  it('refuses an unknown source, naming the ones there are', async () => {
    const run = await runCliCapture(['scan', '--source', 'splunk', '--dry-run'], { env: { LOGS_WORKSPACE_ID: WORKSPACE } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/--source "splunk" is not a polled source; use one of log-analytics, storage, opensearch/);
  });

  it('knows the opensearch source by name, and what turns it on', async () => {
    const run = await runCliCapture(['scan', '--source', 'opensearch', '--dry-run'], { env: { LOGS_WORKSPACE_ID: WORKSPACE, AzureWebJobsStorage: 'UseDevelopmentStorage=true' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/OPENSEARCH_URL \(with OPENSEARCH_USERNAME and OPENSEARCH_PASSWORD\), for --source opensearch/);
  });

  it('names what a source needs when it is asked for but not configured', async () => {
    const run = await runCliCapture(['scan', '--source', 'storage', '--dry-run'], { env: { LOGS_WORKSPACE_ID: WORKSPACE, AzureWebJobsStorage: 'UseDevelopmentStorage=true' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/ARCHIVE_STORAGE_ACCOUNT \(or ARCHIVE_STORAGE_CONNECTION\), for --source storage/);
    expect(run.stderr).not.toMatch(/AzureWebJobsStorage/);
  });

  it('names every way to turn a source on when none is configured', async () => {
    const run = await runCliCapture(['scan', '--dry-run'], { env: {} });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/LOGS_WORKSPACE_ID .*, ARCHIVE_STORAGE_ACCOUNT \/ ARCHIVE_STORAGE_CONNECTION .*, or OPENSEARCH_URL/);
    expect(run.stderr).toMatch(/to scan a file instead, use --input FILE/);
  });

  it('takes --input or --source, not both', async () => {
    const run = await runCliCapture(['scan', '--input', 'x.log', '--source', 'storage', '--dry-run']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/--input scans a file and --source a polled source: use one of them/);
  });
});

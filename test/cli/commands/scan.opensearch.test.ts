import { describe, expect, it } from 'vitest';
import { AIVEN_DOCUMENTS } from '../../support/aivenDocuments';
import { runCliCapture } from '../../support/runCliCapture';

describe('the CLI and the opensearch source', () => {
  it('scan --source opensearch without OPENSEARCH_URL names what to set (exit 1)', async () => {
    const run = await runCliCapture(['scan', '--source', 'opensearch'], { env: { AzureWebJobsStorage: 'UseDevelopmentStorage=true' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('OPENSEARCH_URL (with OPENSEARCH_USERNAME and OPENSEARCH_PASSWORD), for --source opensearch');
  });

  it('parse --format opensearch prints the events and names the fields and the prefix it used', async () => {
    const run = await runCliCapture(['parse', '--format', 'opensearch', AIVEN_DOCUMENTS]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n').length).toBeGreaterThan(150);
    expect(run.stderr).toMatch(/^parsed \d+ records \(opensearch, log_line_prefix "pid=%p,user=%u,db=%d,app=%a,client=%h "\): \d+ AUDIT records, \d+ events, 0 malformed, 0 truncated$/m);
    expect(run.stderr).toContain('opensearch-documents.ndjson: OpenSearch document fields message MESSAGE (detected), time timestamp (detected), server HOSTNAME (detected)');
  });
});

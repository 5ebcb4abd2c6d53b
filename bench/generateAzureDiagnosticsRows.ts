import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/**
 * Writes `count` AzureDiagnostics rows (NDJSON) shaped like a busy Flexible Server's: Azure's default
 * prefix `%t-%c-`, many interleaved sessions opened with connection lines, and log_relation statements
 * logged as several lines. Deterministic (no randomness) so runs compare.
 */
export async function generateAzureDiagnosticsRows(path: string, count: number): Promise<void> {
  const out = createWriteStream(path);
  const start = Date.parse('2026-11-22T00:00:00Z');
  const sessions = 200;
  const statementIds = new Array<number>(sessions).fill(0);
  let written = 0;
  const row = (i: number, session: number, message: string): string => {
    const t = new Date(start + i * 50);
    const ts = t.toISOString().replace('T', ' ').slice(0, 19);
    const sid = `${(Math.floor(start / 1000) + session).toString(16)}.${(1000 + session).toString(16)}`;
    return JSON.stringify({
      TenantId: '00000000-0000-0000-0000-000000000000', TimeGenerated: t.toISOString(), ResourceId:
        '/SUBSCRIPTIONS/0000/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.DBFORPOSTGRESQL/FLEXIBLESERVERS/PG-BENCH-1',
      Category: 'PostgreSQLLogs', ResourceProvider: 'MICROSOFT.DBFORPOSTGRESQL', Resource: 'PG-BENCH-1',
      ResourceType: 'FLEXIBLESERVERS', OperationName: 'LogEvent', LogicalServerName_s: 'pg-bench-1',
      errorLevel_s: 'LOG', processId_d: 1000 + session, sqlerrcode_s: '00000',
      Message: `${ts} UTC-${sid}-LOG:  ${message}`, Type: 'AzureDiagnostics',
    }) + '\n';
  };
  for (let i = 0; written < count; i++) {
    const session = (i * 7919) % sessions;
    const lines: string[] = [];
    if (statementIds[session] === 0) {
      lines.push(`connection received: host=10.0.${session % 250}.4 port=${40000 + session}`);
      lines.push(`connection authorized: user=app_${session % 17} database=shop application_name=web api ${session % 5}`);
    }
    const id = (statementIds[session] = statementIds[session]! + 1);
    switch (i % 5) {
      case 0:
        lines.push(`AUDIT: SESSION,${id},1,WRITE,INSERT,TABLE,sales.orders,"INSERT INTO sales.orders (customer_id, amount, memo)\nSELECT id, 10.5, 'note, with comma' FROM sales.customers WHERE id = $1",<not logged>`);
        lines.push(`AUDIT: SESSION,${id},1,READ,SELECT,TABLE,sales.customers,<previously logged>,<previously logged>`);
        break;
      case 1:
        lines.push(`AUDIT: SESSION,${id},1,READ,SELECT,TABLE,sales.customers,"SELECT c.id, c.name, o.amount FROM sales.customers c JOIN sales.orders o ON o.customer_id = c.id WHERE c.id = ${i}",<not logged>`);
        lines.push(`AUDIT: SESSION,${id},1,READ,SELECT,TABLE,sales.orders,<previously logged>,<previously logged>`);
        break;
      case 2:
        lines.push(`AUDIT: SESSION,${id},1,WRITE,UPDATE,TABLE,sales.orders,UPDATE sales.orders SET amount = amount + 1 WHERE id = ${i};,<not logged>`);
        lines.push(`AUDIT: SESSION,${id},2,READ,SELECT,TABLE,sales.customers,"SELECT 1 FROM ONLY ""sales"".""customers"" x WHERE ""id"" OPERATOR(pg_catalog.=) $1 FOR KEY SHARE OF x",<not logged>`);
        break;
      case 3:
        lines.push(`AUDIT: SESSION,${id},1,READ,SELECT,TABLE,sales.payment_cards,SELECT pan FROM sales.payment_cards WHERE customer_id = ${i};,<not logged>`);
        break;
      default:
        lines.push(`AUDIT: SESSION,${id},1,MISC,SET,,,SET search_path = sales;,<not logged>`);
        lines.push(`checkpoint complete: wrote ${i % 100} buffers`);
    }
    for (const message of lines) {
      if (written >= count) break;
      if (!out.write(row(i, session, message))) await once(out, 'drain');
      written++;
    }
  }
  out.end();
  await once(out, 'finish');
}

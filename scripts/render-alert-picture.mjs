#!/usr/bin/env node
// Renders a real alert (the demo day's GRANT by dba_mallory, through the default pack) with the product's
// own Slack renderer, draws its Block Kit the way Slack lays it out, and screenshots it with headless
// Chromium into docs/alert-example.png for the README.
// Needs: `npm run build`, and Debian's chromium (apt-get install chromium). Not part of the tests.
//   node scripts/render-alert-picture.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(join(root, 'package.json'));
const cli = join(root, 'dist/shared/cli/main.js');
const { renderSlackAlert } = require(join(root, 'dist/shared/notify/slack/renderSlackMessages.js'));

const json = execFileSync(process.execPath, [cli, 'scan', '--input', 'test/fixtures/demo/azure-diagnostics.ndjson',
  '--list', 'sensitive_tables=sales.payment_cards', '--list', 'service_accounts=etl_loader,migrations,app_web',
  '--dry-run', '--json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
const alert = json.trim().split('\n').map((l) => JSON.parse(l)).find((a) => a.rule === 'powerful-role-attribute' && /SUPERUSER/.test(a.event.statement));
const message = renderSlackAlert(alert, {
  logsLink: () => 'https://portal.azure.com/#blade/Microsoft_Azure_Monitoring_Logs/LogsBlade',
});

// Slack mrkdwn subset the renderer emits: *bold*, `code`, ```blocks```, <url|text>; text is already escaped.
const mrkdwn = (t) => t
  .replace(/```([\s\S]*?)```/g, (_, c) => `<pre>${c}</pre>`)
  .replace(/`([^`]+)`/g, '<code>$1</code>')
  .replace(/\*([^*\n]+)\*/g, '<b>$1</b>')
  .replace(/&lt;(https?:[^|]+?)\|([^&]+?)&gt;|<(https?:[^|>]+)\|([^>]+)>/g, (_, u1, t1, u2, t2) => `<a href="#">${t1 ?? t2}</a>`)
  .replace(/\n/g, '<br>');
const block = (b) => {
  if (b.type === 'header') return `<div class="header">${b.text.text}</div>`;
  if (b.type === 'divider') return '<hr>';
  if (b.type === 'context') return `<div class="context">${b.elements.map((e) => mrkdwn(e.text)).join(' ')}</div>`;
  const fields = b.fields ? `<div class="fields">${b.fields.map((f) => `<div>${mrkdwn(f.text)}</div>`).join('')}</div>` : '';
  return `<div class="section">${b.text ? mrkdwn(b.text.text) : ''}${fields}</div>`;
};
const html = `<!doctype html><meta charset="utf-8"><style>
body{margin:0;background:#fff;font:15px/1.46668 Lato,'Helvetica Neue',Arial,sans-serif;color:#1d1c1d}
.msg{display:flex;gap:8px;padding:16px 20px;width:680px}.avatar{width:36px;height:36px;border-radius:4px;background:#336791;color:#fff;font-weight:900;display:flex;align-items:center;justify-content:center}
.name{font-weight:900}.app{font-size:10px;background:#e8e8e8;color:#616061;padding:1px 3px;border-radius:2px;margin:0 4px}.time{color:#616061;font-size:12px}
.header{font-size:18px;font-weight:900;margin:6px 0}.section{margin:6px 0}.fields{display:grid;grid-template-columns:1fr 1fr;gap:6px 16px}
pre{font:12px/1.5 Monaco,Menlo,Consolas,monospace;background:#f8f8f8;border:1px solid #ddd;border-radius:4px;padding:8px;white-space:pre-wrap;margin:4px 0}
code{font:12px Monaco,Menlo,monospace;color:#e01e5a;background:#f8f8f8;border:1px solid #ddd;border-radius:3px;padding:0 2px}
.context{color:#616061;font-size:12px;margin-top:6px}a{color:#1264a3;text-decoration:none}hr{border:0;border-top:1px solid #ddd}
</style><div class="msg"><div class="avatar">pg</div><div><span class="name">pgaudit-alerts</span><span class="app">APP</span><span class="time">22:47</span>
${message.blocks.map(block).join('\n')}</div></div>`;
const dir = mkdtempSync(join(tmpdir(), 'alert-picture-'));
writeFileSync(join(dir, 'alert.html'), html);
execFileSync('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${join(dir, 'profile')}`,
  '--hide-scrollbars', '--window-size=740,470', `--screenshot=${join(root, 'docs/alert-example.png')}`, `file://${join(dir, 'alert.html')}`],
  { stdio: 'ignore' });
console.log('wrote docs/alert-example.png');

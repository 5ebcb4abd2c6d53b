import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../shared/model/Alert';
import { renderAlertText } from '../../shared/notify/text/renderAlertText';
import { logAnalyticsSessionLink } from '../../shared/logAnalytics/logAnalyticsSessionLink';
import { renderSlackAlert } from '../../shared/notify/slack/renderSlackMessages';
import { redactAlert } from '../../shared/redact/redactAlert';
import { makeAlert } from '../support/alertFixtures';

/**
 * docs/notifications.md shows a real rendering. This test fails when the renderer changes and the
 * docs were not regenerated: `UPDATE_DOCS=1 npx vitest run test/notify/docsExample.test.ts`.
 */
const DOC = join(__dirname, '../../docs/notifications.md');
const WORKSPACE = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-db/providers/Microsoft.OperationalInsights/workspaces/law-db';

function exampleAlert(): Alert {
  return makeAlert(3, {
    rule: 'role-created-or-granted',
    title: 'Role created or granted',
    event: {
      command: 'GRANT ROLE',
      statement: "GRANT dba_admins TO mallory; CREATE ROLE mallory_bot LOGIN PASSWORD 'S3cret!'",
    },
  });
}

function generated(): Record<string, string> {
  const alert = redactAlert(exampleAlert());
  const render = { logsLink: (a: Alert) => logAnalyticsSessionLink(WORKSPACE, a) };
  const slack = renderSlackAlert(alert, render);
  const payload = { channel: '#db-security', text: slack.text, blocks: slack.blocks, metadata: slack.metadata, unfurl_links: false, unfurl_media: false };
  return {
    'slack-example': '```json\n' + JSON.stringify(payload, null, 2) + '\n```',
    'text-example': '```text\n' + renderAlertText(alert, render).trimEnd() + '\n```',
  };
}

describe('docs/notifications.md', () => {
  it('shows the current rendering of the example alert', () => {
    let doc = readFileSync(DOC, 'utf8');
    for (const [name, block] of Object.entries(generated())) {
      const re = new RegExp(`(<!-- ${name}:start -->)[\\s\\S]*?(<!-- ${name}:end -->)`);
      expect(doc, `markers for ${name}`).toMatch(re);
      if (process.env.UPDATE_DOCS) doc = doc.replace(re, (_m, open: string, close: string) => `${open}\n${block}\n${close}`);
      else expect(doc.match(re)![0]).toContain(block);
    }
    if (process.env.UPDATE_DOCS) writeFileSync(DOC, doc);
    expect(doc).not.toContain('S3cret!');
  });
});

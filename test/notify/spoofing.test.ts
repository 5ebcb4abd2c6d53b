import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../shared/model/Alert';
import { renderAlertEmail, renderDigestEmail } from '../../shared/notify/email/renderEmail';
import { renderAlertText, renderDigestText } from '../../shared/notify/text/renderAlertText';
import { renderSlackAlert, renderSlackDigest } from '../../shared/notify/slack/renderSlackMessages';
import type { SlackBlock, SlackMessage } from '../../shared/notify/slack/SlackMessage';
import { jsonWithVisibleEscapes } from '../../shared/notify/message/plainText';
import { makeAlert } from '../support/alertFixtures';

/** Everything a reader must never receive raw: controls (bar \n, \t in multi-line text), bidi, zero-width, separators, tags. */
const RAW_INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]|\udb40[\udc00-\udc7f]/;

const FORGED = 'etl\nServer:      pg-other\r\u001b[1A';
function spoofAlert(name: string = FORGED): Alert {
  return makeAlert(7, {
    event: {
      server: `pg-prod-1 ${name}`, user: name, database: `shop\u202Egnp.exe\u2066x\u2069 *bold* _it_ ~s~ \`tick\` @channel <!here>`,
      application: `\u200Bpsql\u200D\uFEFF \u061C \u200E \u200F`, client: `10.0.0.4\u2028Rule:  forged`,
      objects: [{ type: 'TABLE', name: `public."a\nb"` }],
      statement: `SELECT 1;\n-- \u202Ereversed\u202C and \u0007 bell\nSELECT '${name}'`,
    },
  });
}

function slackTexts(m: SlackMessage): string[] {
  const out = [m.text];
  for (const b of m.blocks) out.push(...blockTexts(b));
  return out;
}
function blockTexts(b: SlackBlock): string[] {
  if (b.type === 'header') return [b.text.text];
  if (b.type === 'section') return [...(b.text ? [b.text.text] : []), ...(b.fields ?? []).map((f) => f.text)];
  if (b.type === 'context') return b.elements.map((e) => e.text);
  return [];
}

describe('database text cannot spoof the alert', () => {
  it('plain text: every fact stays on its own line, controls and bidi are shown escaped', () => {
    const text = renderAlertText(spoofAlert());
    expect(text).not.toMatch(RAW_INVISIBLE);
    const lines = text.split('\n');
    // Only our own facts start a line with a label: the forged "Server:" and "Rule:" stay inside the values.
    expect(lines.filter((l) => l.startsWith('Server:'))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('Rule:'))).toHaveLength(1);
    expect(text).toContain('\nUser:                etl\\nServer:      pg-other\\r\\x1b[1A\n');
    expect(text).toContain('shop\\u202Egnp.exe\\u2066x\\u2069');
    expect(text).toContain('\\u200Bpsql\\u200D\\uFEFF \\u061C \\u200E \\u200F');
    expect(text).toContain('10.0.0.4\\u2028Rule:  forged');
    // The statement keeps its own lines, indented, with the invisible characters escaped.
    expect(text).toContain('\n    -- \\u202Ereversed\\u202C and \\x07 bell\n');
    // Statement lines are indented by four spaces (a block of their own); nothing else may start a line with it.
    const digest = renderDigestText([spoofAlert(), ...Array.from({ length: 5 }, (_, i) => spoofAlert(`u${i}\n[CRITICAL] forged`))]);
    expect(digest).toContain('u4\\n[CRITICAL] forged');
    expect(digest).not.toMatch(/\n {0,3}\[CRITICAL\] forged/);
  });

  it('quotes names that differ from a service account only by spaces', () => {
    const text = renderAlertText(makeAlert(1, { event: { user: 'etl ', database: '' } }));
    expect(text).toContain('User:                "etl "');
    expect(text).toContain('Database:            ""');
  });

  it('Slack: values are code spans, nothing formats, mentions or breaks lines outside code', () => {
    for (const m of [renderSlackAlert(spoofAlert()), ...renderSlackDigest(Array.from({ length: 6 }, (_, i) => spoofAlert(`n${i}\n*x*`)))]) {
      for (const t of slackTexts(m)) {
        expect(t).not.toMatch(RAW_INVISIBLE);
        expect(t).not.toMatch(/<[!@#]|<https?:/);
        expect(t).not.toMatch(/&(?!amp;|lt;|gt;)/);
        // Outside ``` blocks and `spans`, no database character may format or mention.
        const outside = t.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
        expect(outside).not.toMatch(/@|~|\\u|bold|tick/);
      }
      expect(m.text).not.toMatch(/[\n*_~@`]/);
      for (const b of m.blocks) {
        if (b.type === 'header') expect(b.text.text).not.toMatch(/[\n\r]/);
        for (const f of b.type === 'section' ? (b.fields ?? []) : []) {
          expect(f.text).toMatch(/^\*[A-Za-z /]+\*\n(?:`[^`\n]+`|_\(empty\)_)(?: … \[truncated: [\d,]+ more characters\])?$/);
        }
      }
    }
    const single = slackTexts(renderSlackAlert(spoofAlert())).join('\n');
    expect(single).toContain('`shop\\u202Egnp.exe\\u2066x\\u2069 *bold* _it_ ~s~ ˋtickˋ @channel &lt;!here&gt;`');
    expect(single).toContain('`etl\\nServer:      pg-other\\r\\x1b[1A`');
    expect(single).toContain('-- \\u202Ereversed\\u202C and \\x07 bell');
    expect(renderSlackAlert(spoofAlert()).text).toBe('[HIGH] Role granted to a user — pg-prod-1 etl\\nServer:      pg-other\\r\\x1b[1A');
  });

  it('email: HTML and text escape everything visibly; the subject is one visible line', () => {
    const mail = renderAlertEmail(spoofAlert());
    expect(mail.subject).not.toMatch(RAW_INVISIBLE);
    expect(mail.subject).not.toMatch(/[\n\r]/);
    expect(mail.subject).toContain('pg-prod-1 etl\\nServer:');
    expect(mail.html).not.toMatch(RAW_INVISIBLE);
    expect(mail.html).toContain('<td>etl\\nServer:      pg-other\\r\\x1b[1A</td>');
    expect(mail.html).toContain('shop\\u202Egnp.exe');
    expect(mail.text).toBe(renderAlertText(spoofAlert(), {}, 20_000));
    const digest = renderDigestEmail(Array.from({ length: 5 }, (_, i) => spoofAlert(`d${i}\u202E\n`)));
    expect(digest.html).not.toMatch(RAW_INVISIBLE);
    expect(digest.html).not.toMatch(/<li>[^<]*\n/);
  });

  it('JSON keeps the value but shows invisible characters as \\u escapes', () => {
    const alert = spoofAlert();
    const json = jsonWithVisibleEscapes(JSON.stringify(alert));
    expect(json).not.toMatch(RAW_INVISIBLE);
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(alert)));
  });

  it('holds for any text in any field (property)', () => {
    const hostile = fc.stringOf(
      fc.oneof(
        fc.constantFrom('\n', '\r', '\t', '\u001b', '\u0085', '\u202E', '\u202D', '\u2066', '\u2069', '\u200B', '\u200E', '\u2028', '\uFEFF', '\uDB40\uDC41', '\uD800', '*', '_', '~', '`', '<', '>', '&', '@', '!', '|', ' ', '```'),
        fc.fullUnicode(),
      ),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(hostile, hostile, hostile, (user, database, statement) => {
        const alert = makeAlert(1, { event: { user, database, application: user, server: database, statement } });
        const text = renderAlertText(alert);
        expect(text).not.toMatch(RAW_INVISIBLE);
        const head = text.slice(0, text.indexOf('\nStatement:'));
        expect(head.split('\n')).toHaveLength(12); // headline, description, ten facts
        const m = renderSlackAlert(alert);
        for (const t of slackTexts(m)) expect(t).not.toMatch(RAW_INVISIBLE);
        expect(m.text).not.toMatch(/[\n*_~@`]/);
        for (const b of m.blocks) for (const f of b.type === 'section' ? (b.fields ?? []) : []) expect(f.text).toMatch(/^\*[A-Za-z /]+\*\n(?:`[^`\n]+`|_\(empty\)_)(?: … \[truncated: [\d,]+ more characters\])?$/);
        const block = slackTexts(m).find((t) => t.startsWith('*Statement*'))!;
        expect(block.match(/```/g)).toHaveLength(2);
        const mail = renderAlertEmail(alert);
        expect(mail.subject + mail.html).not.toMatch(RAW_INVISIBLE);
        expect(mail.subject).not.toMatch(/[\n\r]/);
        expect(mail.html.replace(/<pre[^>]*>[\s\S]*?<\/pre>/, '')).not.toMatch(/[<>][^<>]*\n/);
      }),
      { numRuns: 400 },
    );
  });
});

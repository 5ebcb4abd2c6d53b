import type { AuditEvent, AuditLine, AuditObject } from '../model/AuditEvent';

/** Characters JSON.stringify escapes: quote, backslash, controls, and (well-formed JSON.stringify) surrogates. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * JSON.stringify(event) for the AuditEvent shape, byte for byte, at a fraction of the cost: `parse`
 * prints one per statement, and generic stringify (which must discover keys, types and escapes for
 * every value) was the largest single cost of the command. Keys are written in AuditEvent's order;
 * `truncated` only when set, as JSON.stringify omits undefined. Strings that need escaping go through
 * JSON.stringify itself, so escaping can never differ.
 */
export function stringifyAuditEvent(e: AuditEvent): string {
  let out =
    '{"server":' + str(e.server) + ',"sessionId":' + str(e.sessionId) + ',"pid":' + num(e.pid) +
    ',"time":' + str(e.time) + ',"user":' + str(e.user) + ',"database":' + str(e.database) +
    ',"application":' + str(e.application) + ',"client":' + str(e.client) + ',"auditType":' + str(e.auditType) +
    ',"statementId":' + num(e.statementId) + ',"substatementId":' + num(e.substatementId) +
    ',"class":' + str(e.class) + ',"command":' + str(e.command) + ',"objects":' + objects(e.objects) +
    ',"lines":' + lines(e.lines) + ',"statement":' + str(e.statement) + ',"parameters":' + parameters(e.parameters) +
    ',"rows":' + num(e.rows);
  if (e.truncated !== undefined) out += ',"truncated":' + JSON.stringify(e.truncated);
  return out + '}';
}

function str(value: string | null): string {
  if (value === null) return 'null';
  return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : '"' + value + '"';
}

function num(value: number | null): string {
  // JSON has no NaN/Infinity: JSON.stringify writes null for them.
  return value === null || !Number.isFinite(value) ? 'null' : String(value);
}

function objects(list: AuditObject[]): string {
  if (list.length === 0) return '[]';
  let out = '[';
  for (let i = 0; i < list.length; i++) {
    const o = list[i]!;
    out += (i === 0 ? '{"type":' : ',{"type":') + str(o.type) + ',"name":' + str(o.name) + '}';
  }
  return out + ']';
}

function lines(list: AuditLine[]): string {
  if (list.length === 0) return '[]';
  let out = '[';
  for (let i = 0; i < list.length; i++) {
    const l = list[i]!;
    out += (i === 0 ? '{"auditType":' : ',{"auditType":') + str(l.auditType) + ',"class":' + str(l.class) +
      ',"command":' + str(l.command) + ',"objectType":' + str(l.objectType) + ',"objectName":' + str(l.objectName) + '}';
  }
  return out + ']';
}

function parameters(list: (string | null)[] | null): string {
  if (list === null) return 'null';
  let out = '[';
  for (let i = 0; i < list.length; i++) out += (i === 0 ? '' : ',') + str(list[i] as string | null);
  return out + ']';
}

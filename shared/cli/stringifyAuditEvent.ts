import type { AuditEvent, AuditLine, AuditObject } from '../model/AuditEvent';

/** Characters JSON.stringify escapes: quote, backslash, controls, and (well-formed JSON.stringify) surrogates. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
/** Entries per cache before it is emptied: bounded memory on any input. */
const CACHE_LIMIT = 4096;
/** Variants kept per cache key (same object name with another type/class/command, ...). */
const VARIANTS = 16;

interface Head {
  server: string | null;
  pid: number | null;
  user: string | null;
  database: string | null;
  application: string | null;
  client: string | null;
  auditType: string;
  /** `{"server":…,"sessionId":…,"pid":…,"time":` */
  beforeTime: string;
  /** `,"user":…,"auditType":…,"statementId":` */
  afterTime: string;
}

interface LineJson {
  auditType: string;
  class: string;
  command: string;
  objectType: string | null;
  json: string;
}

interface ObjectJson {
  type: string | null;
  json: string;
}

/**
 * JSON.stringify(event) for the AuditEvent shape, byte for byte, at a fraction of the cost: `parse`
 * prints one per statement, and generic stringify (which must discover keys, types and escapes for
 * every value) was the largest single cost of the command. Keys are written in AuditEvent's order;
 * `truncated` only when set, as JSON.stringify omits undefined. Strings that need escaping go through
 * JSON.stringify itself, so escaping can never differ.
 *
 * What repeats from event to event is written once and reused: the session part (server, session,
 * user, ...), each distinct audit line and object. Caches are keyed by value and bounded.
 */
export class AuditEventStringifier {
  private readonly heads = new Map<string | null, Head>();
  private readonly lines = new Map<string | null, LineJson[]>();
  private readonly objects = new Map<string, ObjectJson[]>();
  private lastTime: string | null = null;
  private lastTimeJson = 'null';

  stringify(e: AuditEvent): string {
    const head = this.head(e);
    if (e.time !== this.lastTime) {
      this.lastTime = e.time;
      this.lastTimeJson = str(e.time);
    }
    let out = head.beforeTime + this.lastTimeJson + head.afterTime + num(e.statementId) + ',"substatementId":' +
      num(e.substatementId) + ',"class":' + str(e.class) + ',"command":' + str(e.command) + ',"objects":[';
    for (let i = 0; i < e.objects.length; i++) out += (i === 0 ? '' : ',') + this.object(e.objects[i]!);
    out += '],"lines":[';
    for (let i = 0; i < e.lines.length; i++) out += (i === 0 ? '' : ',') + this.line(e.lines[i]!);
    out += '],"statement":' + str(e.statement) + ',"parameters":' + parameters(e.parameters) + ',"rows":' + num(e.rows);
    if (e.truncated !== undefined) out += ',"truncated":' + JSON.stringify(e.truncated);
    if (e.incomplete !== undefined) out += ',"incomplete":' + JSON.stringify(e.incomplete);
    // The trust fields are rare: written the generic way, in AuditEvent's key order.
    if (e.trust !== undefined) out += ',"trust":' + JSON.stringify(e.trust);
    if (e.trustReason !== undefined) out += ',"trustReason":' + JSON.stringify(e.trustReason);
    if (e.identity !== undefined) out += ',"identity":' + JSON.stringify(e.identity);
    if (e.identityReason !== undefined) out += ',"identityReason":' + JSON.stringify(e.identityReason);
    if (e.sessionIdFrom !== undefined) out += ',"sessionIdFrom":' + JSON.stringify(e.sessionIdFrom);
    if (e.origin !== undefined) out += ',"origin":' + JSON.stringify(e.origin);
    return out + '}';
  }

  private head(e: AuditEvent): Head {
    let h = this.heads.get(e.sessionId);
    if (
      h !== undefined && h.server === e.server && h.pid === e.pid && h.user === e.user && h.database === e.database &&
      h.application === e.application && h.client === e.client && h.auditType === e.auditType
    ) {
      return h;
    }
    if (this.heads.size >= CACHE_LIMIT) this.heads.clear();
    h = {
      server: e.server, pid: e.pid, user: e.user, database: e.database, application: e.application, client: e.client,
      auditType: e.auditType,
      beforeTime: '{"server":' + str(e.server) + ',"sessionId":' + str(e.sessionId) + ',"pid":' + num(e.pid) + ',"time":',
      afterTime: ',"user":' + str(e.user) + ',"database":' + str(e.database) + ',"application":' + str(e.application) +
        ',"client":' + str(e.client) + ',"auditType":' + str(e.auditType) + ',"statementId":',
    };
    this.heads.set(e.sessionId, h);
    return h;
  }

  private line(l: AuditLine): string {
    let variants = this.lines.get(l.objectName);
    if (variants === undefined) {
      if (this.lines.size >= CACHE_LIMIT) this.lines.clear();
      variants = [];
      this.lines.set(l.objectName, variants);
    } else {
      for (const v of variants) {
        if (v.auditType === l.auditType && v.class === l.class && v.command === l.command && v.objectType === l.objectType) return v.json;
      }
    }
    const json = '{"auditType":' + str(l.auditType) + ',"class":' + str(l.class) + ',"command":' + str(l.command) +
      ',"objectType":' + str(l.objectType) + ',"objectName":' + str(l.objectName) + '}';
    if (variants.length < VARIANTS) variants.push({ auditType: l.auditType, class: l.class, command: l.command, objectType: l.objectType, json });
    return json;
  }

  private object(o: AuditObject): string {
    let variants = this.objects.get(o.name);
    if (variants === undefined) {
      if (this.objects.size >= CACHE_LIMIT) this.objects.clear();
      variants = [];
      this.objects.set(o.name, variants);
    } else {
      for (const v of variants) if (v.type === o.type) return v.json;
    }
    const json = '{"type":' + str(o.type) + ',"name":' + str(o.name) + '}';
    if (variants.length < VARIANTS) variants.push({ type: o.type, json });
    return json;
  }
}

const shared = new AuditEventStringifier();

/** JSON.stringify(event), byte for byte (see AuditEventStringifier). */
export function stringifyAuditEvent(e: AuditEvent): string {
  return shared.stringify(e);
}

function str(value: string | null): string {
  if (value === null) return 'null';
  return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : '"' + value + '"';
}

function num(value: number | null): string {
  // JSON has no NaN/Infinity: JSON.stringify writes null for them.
  return value === null || !Number.isFinite(value) ? 'null' : String(value);
}

function parameters(list: (string | null)[] | null): string {
  if (list === null) return 'null';
  let out = '[';
  for (let i = 0; i < list.length; i++) out += (i === 0 ? '' : ',') + str(list[i] as string | null);
  return out + ']';
}

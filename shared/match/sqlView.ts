import { decodeStringBody } from '../redact/sqlStringBody';
import { tokenizeSql, type SqlToken } from '../redact/tokenizeSql';
import { decodeUnicodeEscapes } from '../model/decodeUnicodeEscapes';

/**
 * A statement as PostgreSQL reads it, for rules that match meaning rather than spelling (docs/formats.md,
 * field `sql`). Built on the project's one SQL lexer (redact/tokenizeSql):
 * - comments are removed; every token is separated by one space, except that qualified names are joined
 *   by `.` without spaces (`sales . "cards"` → `sales.cards`);
 * - keywords and unquoted identifiers are folded to lower case;
 * - quoted identifiers are decoded (`""`, `U&"\0073uperuser"` with UESCAPE) and written bare when that
 *   means the same name (`"pgaudit"."log"` → `pgaudit.log`), else quoted (`"Cards"`);
 * - string constants are decoded (`E'pgaudit\x2elog'`, `U&'…'`, `$tag$…$tag$`) and written as `'…'`
 *   with `''` for a quote.
 * `names` are the identifier chains of the statement and of the SQL inside its strings (dynamic SQL in
 * DO blocks and functions: `EXECUTE 'GRANT … ON hr.salaries …'`); `schemas` are the schemas named by
 * `IN SCHEMA a, b` (GRANT … ON ALL TABLES IN SCHEMA, ALTER DEFAULT PRIVILEGES IN SCHEMA), which stand for
 * every table in them; `everySchema` is set by `ALTER DEFAULT PRIVILEGES … GRANT … ON TABLES` without
 * `IN SCHEMA`, which applies to tables the role creates in any schema, so it stands for every table.
 */
export interface SqlView {
  sql: string;
  names: string[];
  schemas: string[];
  everySchema: boolean;
}

type Lexeme =
  | { t: 'word'; v: string }
  | { t: 'ident'; v: string; raw: string; unicode: boolean }
  | { t: 'string'; v: string; unicode: boolean; raw: string; prefix: string }
  | { t: 'other'; v: string };

const CODE_LEXEME = /\s+|([A-Za-z_\u0080-\uFFFF][A-Za-z0-9_$\u0080-\uFFFF]*)|(\$\d+|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+)|([+\-*/<>=~!@#%^&|`?:]+)|([\s\S])/gu;
const PLAIN_NAME = /^[a-z_\u0080-\uFFFF][a-z0-9_$\u0080-\uFFFF]*$/u;
const NESTED_DEPTH = 3;
const CACHE_LIMIT = 512;
const cache = new Map<string, SqlView>();

/** The view of a statement; views of recent statements are cached (rules ask for the same one repeatedly). */
export function sqlView(text: string): SqlView {
  const hit = cache.get(text);
  if (hit) return hit;
  const view = buildView(text, 0);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, view);
  return view;
}

function buildView(text: string, depth: number): SqlView {
  const lexemes = lex(tokenizeSql(text));
  const parts: string[] = [];
  let glue = false;
  for (const l of lexemes) {
    const out = render(l);
    if (l.t === 'other' && l.v === '.') {
      parts.push('.');
      glue = true;
      continue;
    }
    if (parts.length > 0 && !glue) parts.push(' ');
    parts.push(out);
    glue = false;
  }
  const names = chains(lexemes);
  const schemas = inSchema(lexemes);
  let everySchema = defaultPrivilegesEverywhere(lexemes);
  if (depth < NESTED_DEPTH) {
    for (const l of lexemes) {
      if (l.t !== 'string' || !/[A-Za-z]/.test(l.v)) continue;
      const inner = buildView(l.v, depth + 1);
      // A loop, not push(...inner.names): a huge statement's names would overflow the call stack.
      for (const n of inner.names) names.push(n);
      for (const n of inner.schemas) schemas.push(n);
      everySchema ||= inner.everySchema;
    }
  }
  return { sql: parts.join('').replace(/ \. /g, '.'), names, schemas, everySchema };
}

function render(l: Lexeme): string {
  if (l.t === 'word') return l.v.toLowerCase();
  if (l.t === 'ident') return PLAIN_NAME.test(l.v) ? l.v : `"${l.v.replace(/"/g, '""')}"`;
  if (l.t === 'string') return `'${l.v.replace(/'/g, "''")}'`;
  return l.v;
}

/** Lexer tokens → words, identifiers, decoded strings and punctuation; `U&` and `UESCAPE` are applied. */
function lex(tokens: SqlToken[]): Lexeme[] {
  const out: Lexeme[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const tok = tokens[k]!;
    if (tok.kind === 'comment') continue;
    if (tok.kind === 'code') {
      let raw = tok.raw;
      // `U&"…"`: the lexer leaves `U&` at the end of the code before the quoted identifier.
      const unicodeIdent = tokens[k + 1]?.kind === 'identifier' && /(^|[^A-Za-z0-9_$\u0080-\uFFFF])[Uu]&$/u.test(raw);
      if (unicodeIdent) raw = raw.slice(0, -2);
      for (const m of raw.matchAll(CODE_LEXEME)) {
        if (m[0].trim() === '') continue;
        out.push(m[1] !== undefined ? { t: 'word', v: m[1] } : { t: 'other', v: m[0] });
      }
      if (unicodeIdent) {
        const id = tokens[++k] as Extract<SqlToken, { kind: 'identifier' }>;
        out.push({ t: 'ident', v: id.name, raw: id.name, unicode: true });
      }
      continue;
    }
    if (tok.kind === 'identifier') out.push({ t: 'ident', v: tok.name, raw: tok.name, unicode: false });
    else if (tok.kind === 'dollar') out.push({ t: 'string', v: tok.body, unicode: false, raw: tok.body, prefix: '' });
    else {
      const prefix = tok.prefix.toUpperCase();
      const unicode = prefix === 'U&';
      const v = unicode ? tok.body.replace(/''/g, "'") : decodeStringBody(tok.body, tok.escapes);
      out.push({ t: 'string', v, unicode, raw: tok.body.replace(/''/g, "'"), prefix: prefix === 'B' || prefix === 'X' ? prefix : '' });
    }
  }
  return applyUnicodeEscapes(out);
}

/** Decodes `U&` identifiers and strings, with the escape character of a following `UESCAPE 'c'`. */
function applyUnicodeEscapes(lexemes: Lexeme[]): Lexeme[] {
  const out: Lexeme[] = [];
  for (let i = 0; i < lexemes.length; i++) {
    const l = lexemes[i]!;
    if ((l.t === 'ident' || l.t === 'string') && l.unicode) {
      const next = lexemes[i + 1];
      const esc = lexemes[i + 2];
      let escape = '\\';
      if (next?.t === 'word' && next.v.toLowerCase() === 'uescape' && esc?.t === 'string' && esc.v.length === 1) {
        escape = esc.v;
        i += 2;
      }
      out.push({ ...l, v: decodeUnicodeEscapes(l.raw, escape) });
      continue;
    }
    out.push(l.t === 'string' && l.prefix ? { t: 'other', v: `${l.prefix.toLowerCase()}'${l.raw}'` } : l);
  }
  return out;
}


function isName(l: Lexeme | undefined): l is Extract<Lexeme, { t: 'word' | 'ident' }> {
  return l !== undefined && (l.t === 'word' || l.t === 'ident');
}

/** Identifier chains (`a`, `a.b`, `a.b.c`), each rendered as in `sql` (bare lower case, or quoted). */
function chains(lexemes: Lexeme[]): string[] {
  const found: string[] = [];
  for (let i = 0; i < lexemes.length; i++) {
    if (!isName(lexemes[i])) continue;
    let chain = render(lexemes[i]!);
    while (lexemes[i + 1]?.t === 'other' && lexemes[i + 1]!.v === '.' && isName(lexemes[i + 2])) {
      chain += `.${render(lexemes[i + 2]!)}`;
      i += 2;
    }
    found.push(chain);
  }
  return found;
}

/** The schemas of `IN SCHEMA a, b`. */
function inSchema(lexemes: Lexeme[]): string[] {
  const found: string[] = [];
  for (let i = 0; i + 2 < lexemes.length; i++) {
    const a = lexemes[i]!;
    const b = lexemes[i + 1]!;
    if (a.t !== 'word' || b.t !== 'word' || a.v.toLowerCase() !== 'in' || b.v.toLowerCase() !== 'schema') continue;
    let j = i + 2;
    while (isName(lexemes[j])) {
      found.push(render(lexemes[j]!));
      if (lexemes[j + 1]?.t === 'other' && lexemes[j + 1]!.v === ',') j += 2;
      else break;
    }
  }
  return found;
}

/**
 * `ALTER DEFAULT PRIVILEGES [FOR ROLE r] GRANT … ON TABLES …` with no `IN SCHEMA` before the statement
 * ends: the grant covers every table the role will create, in every schema.
 */
function defaultPrivilegesEverywhere(lexemes: Lexeme[]): boolean {
  const word = (i: number, v: string) => lexemes[i]?.t === 'word' && lexemes[i]!.v.toLowerCase() === v;
  for (let i = 0; i + 2 < lexemes.length; i++) {
    if (!word(i, 'alter') || !word(i + 1, 'default') || !word(i + 2, 'privileges')) continue;
    let grant = false;
    for (let j = i + 3; j < lexemes.length && !(lexemes[j]!.t === 'other' && lexemes[j]!.v === ';'); j++) {
      if (word(j, 'in') && word(j + 1, 'schema')) break;
      if (word(j, 'revoke')) break;
      if (word(j, 'grant')) grant = true;
      if (grant && word(j, 'on') && word(j + 1, 'tables')) return true;
    }
  }
  return false;
}

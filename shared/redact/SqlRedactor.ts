import { lexCode, type CodePiece } from './lexCode';
import { REDACTED, redactConnectionSecrets } from './redactConnectionSecrets';
import { decodeStringBody, decodeUnicodeBody } from './sqlStringBody';
import { isSecretName, isSettingFunction, secretArguments } from './secretNames';
import type { SqlToken } from './tokenizeSql';

/** What redacting one level of SQL found, beyond the text. */
export interface SqlRedaction {
  text: string;
  /** `$n` parameters that sit where a secret goes (`password = $1`, `set_config('x.token', $2, …)`). */
  secretParams: Set<number>;
  /**
   * The text ends where a secret value would start, or names one with a format placeholder
   * (`'ALTER ROLE r PASSWORD ' || pw`, `format('… PASSWORD %L', pw)`): whoever quoted this text
   * must hide what follows it.
   */
  secretFollows: boolean;
  /** The output of each input token, with where the token ends in the input: lets two readings be compared. */
  segments: { end: number; text: string }[];
  /** The text ends inside a quoted string, identifier, dollar quote or comment. */
  open: boolean;
}

/** Quoted text inside the SQL: redacted by the caller, which knows the nesting depth. */
export type QuotedRedactor = (token: Extract<SqlToken, { kind: 'string' | 'dollar' }>) => { text: string; secretFollows: boolean };

interface Frame {
  fn: string | null;
  arg: number;
  /** Every argument is secret: the call itself is a secret's value (`password = md5('a' || 'b')`). */
  all: boolean;
  secret: Set<number>;
  /** Arguments from this index on are secret (`format('… PASSWORD %L', …)`). */
  secretFrom: number;
  /** set_config-like: did argument 0 turn out to be a literal name? */
  namedLiterally: boolean;
  /** The column list of an INSERT. */
  columns?: true;
}

/** `INSERT INTO t (name, password) VALUES ('a', 'x'), ...`: the VALUES positions of secret columns. */
interface InsertColumns {
  listed: boolean;
  secret: Set<number>;
  values: boolean;
}

const FORMAT_SPEC = /%(?:\d+\$)?-?(?:\d+|\*)?[sIL]/;
// Anchored at a word's start by the lookbehind, so a long word is scanned once, not once per character.
const SECRET_THEN_FORMAT = /(?<![\w$.])([A-Za-z_][\w$.]*)\s*(?:=|\bTO\b)?\s*%(?:\d+\$)?-?(?:\d+|\*)?[sIL]/gi;
const NOT_A_VALUE = /^(?:null|default)$/i;

/**
 * One pass over one level of SQL (a statement, or the body of a string or DO block): hides the
 * value that follows a secret's name (`PASSWORD 'x'`, `OPTIONS (sslpassword 'x')`,
 * `SET app.token = x`, `ALTER SYSTEM SET ssl_passphrase_command = '…'`), every operand of a
 * concatenation that builds one, secret function arguments (pgcrypto keys, `set_config('app.password', …)`,
 * the arguments of a `format()` whose template names a secret), and connection-string secrets in code.
 */
export class SqlRedactor {
  /** The current token's output, and the last non-empty output before it. */
  private out = '';
  private previous = '';
  private frames: Frame[] = [];
  /** A secret's name was just seen: the next value is the secret. */
  private pending = false;
  /** …and `=`/`TO`/`:=`/`=>` followed it, so a bare word is the value too. */
  private assigned = false;
  /** Just after a hidden value: `||` continues it. */
  private inValue = false;
  private castNext = false;
  /** In a SET clause (`SET x TO v`, `ALTER SYSTEM SET x TO v`), where TO assigns. */
  private inSet = false;
  private insert: InsertColumns | null = null;
  /** The word just before (for `name(`), and whether it was the secret's name. */
  private lastWord: string | null = null;
  private lastWordSecret = false;
  private redactedQuote = false;
  private follows = false;
  private readonly params = new Set<number>();

  constructor(private readonly redactQuoted: QuotedRedactor) {}

  run(tokens: SqlToken[], redactComment: (body: string) => string): SqlRedaction {
    const segments: { end: number; text: string }[] = [];
    let end = 0;
    for (const token of tokens) {
      // Each token's output is kept apart: slicing or peeking into one growing string flattens it every time.
      this.previous = this.out.length > 0 ? this.out : this.previous;
      this.out = '';
      // `PASSWORD "x"'y'`: a quote right after the replacement would merge with it on the next pass.
      if (this.redactedQuote && (token.raw.startsWith("'") || token.kind === 'dollar' || token.kind === 'identifier')) this.out += ' ';
      this.redactedQuote = false;
      if (token.kind === 'code') this.code(token.raw);
      else if (token.kind === 'comment') this.out += token.open + redactComment(token.body) + token.close;
      else if (token.kind === 'identifier') this.identifier(token.raw, token.name);
      else this.quoted(token);
      end += token.raw.length;
      segments.push({ end, text: this.out });
    }
    const last = tokens[tokens.length - 1];
    const open = last !== undefined && isOpen(last);
    return { text: segments.map((sg) => sg.text).join(''), secretParams: this.params, secretFollows: this.follows || this.pending, segments, open };
  }

  private secretPosition(): boolean {
    return this.pending || this.frameSecret();
  }

  private frameSecret(): boolean {
    const f = this.frames[this.frames.length - 1];
    return f !== undefined && (f.all || f.arg >= f.secretFrom || f.secret.has(f.arg));
  }

  private hide(unterminated: boolean, body: string): void {
    this.separate();
    // A value cut off by the log stays open, so that redacting the result again changes nothing.
    this.out += unterminated ? `'${REDACTED}` : `'${REDACTED}'`;
    this.redactedQuote = true;
    if (unterminated || FORMAT_SPEC.test(body)) this.follows = true;
    this.pending = this.assigned = false;
    this.inValue = true;
    this.lastWord = null;
  }

  /** `'a''[REDACTED]'` would read as one string, `x'[REDACTED]'` as a bit string: keep the replacement apart. */
  private separate(): void {
    const before = this.out.length > 0 ? this.out : this.previous;
    const last = before.charCodeAt(before.length - 1);
    if (last >= 0x80 || /[\w'"$]/.test(String.fromCharCode(last))) this.out += ' ';
  }

  private quoted(token: Extract<SqlToken, { kind: 'string' | 'dollar' }>): void {
    if (this.secretPosition()) return this.hide(!token.terminated, token.body);
    const f = this.frames[this.frames.length - 1];
    if (f && isSettingFunction(f.fn) && f.arg === 0) {
      f.namedLiterally = true;
      if (isSecretName(token.kind === 'dollar' ? token.body : token.prefix.toUpperCase() === 'U&' ? decodeUnicodeBody(token.body) : decodeStringBody(token.body, token.escapes))) f.secret.add(1);
    }
    const inner = this.redactQuoted(token);
    this.out += inner.text;
    this.inValue = this.castNext = false;
    this.lastWord = null;
    if (inner.secretFollows) {
      // The quoted text builds a statement whose secret comes next: from a concatenation or a format() argument.
      this.pending = this.assigned = true;
      if (f) f.secretFrom = Math.min(f.secretFrom, f.arg + 1);
    }
  }

  private identifier(raw: string, name: string): void {
    if (this.pending) {
      // PASSWORD "x" is not valid SQL, but it is logged as typed; JSON `"password": "x"` reads the same way.
      this.separate();
      this.out += `'${REDACTED}'`;
      this.redactedQuote = true;
      this.pending = this.assigned = false;
      this.inValue = true;
      this.lastWord = null;
      return;
    }
    // A quoted name can hold anything, e.g. a shell command's `"Authorization: Bearer …"` in COPY … PROGRAM.
    const safe = redactConnectionSecrets(name, 'code');
    this.out += safe === name ? raw : `"${safe.replace(/"/g, '""')}"`;
    this.word(name, false);
  }

  /** A name or keyword outside quotes (already written out by the caller). */
  private word(name: string, callFollows: boolean): void {
    if (this.castNext) {
      // `'x'::text || …`: a type name neither ends nor starts a value.
      this.castNext = false;
      return;
    }
    this.inValue = false;
    if (/^set$/i.test(name)) this.inSet = true;
    if (/^insert$/i.test(name)) this.insert = { listed: false, secret: new Set(), values: false };
    if (this.insert && /^values$/i.test(name)) this.insert.values = true;
    const top = this.frames[this.frames.length - 1];
    if (top?.columns && isSecretName(name)) this.insert!.secret.add(top.arg);
    if (callFollows) {
      this.lastWord = name;
      this.lastWordSecret = false;
      return;
    }
    if (this.pending && !this.assigned && this.inSet && /^to$/i.test(name)) {
      this.assigned = true;
      return;
    }
    this.pending = isSecretName(name);
    this.assigned = false;
    this.lastWord = name;
    this.lastWordSecret = this.pending;
  }

  private code(raw: string): void {
    // `format('ALTER ROLE %I PASSWORD %L', r, pw)`: the secret is a later argument of the call.
    if (raw.includes('%')) for (const m of raw.matchAll(SECRET_THEN_FORMAT)) if (isSecretName(m[1]!)) this.follows = true;
    const pieces = lexCode(raw);
    let text = '';
    for (let i = 0; i < pieces.length; i++) {
      const p = pieces[i]!;
      text += this.piece(p, nextSolid(pieces, i + 1));
    }
    this.out += redactConnectionSecrets(text, 'code');
  }

  private piece(p: CodePiece, next: CodePiece | undefined): string {
    switch (p.kind) {
      case 'space':
        return p.raw;
      case 'word': {
        const call = next?.raw === '(';
        if (this.castNext) {
          this.word(p.raw, call);
          return p.raw;
        }
        if (!call && this.pending && this.assigned && !NOT_A_VALUE.test(p.raw)) {
          this.pending = this.assigned = false;
          this.inValue = true;
          return REDACTED;
        }
        this.word(p.raw, call);
        return p.raw;
      }
      case 'number':
        if (this.pending && this.assigned) {
          this.pending = this.assigned = false;
          this.inValue = true;
          return REDACTED;
        }
        this.pending = this.inValue = false;
        return p.raw;
      case 'param':
        if (this.secretPosition() || this.inValue) this.params.add(p.index);
        if (this.pending) {
          this.pending = this.assigned = false;
          this.inValue = true;
        }
        return p.raw;
      case 'punct':
        this.punct(p.raw);
        return p.raw;
      case 'op':
        this.op(p.raw);
        return p.raw;
      case 'other':
        this.pending = this.assigned = this.inValue = false;
        this.lastWord = null;
        return p.raw;
    }
  }

  private punct(c: '(' | ')' | ',' | ';'): void {
    const top = this.frames[this.frames.length - 1];
    if (c === '(') {
      // `check_password(` is a call, not a value; `password = md5(` is.
      if (this.pending && this.lastWordSecret && !this.assigned) this.pending = false;
      const fn = this.lastWord;
      const frame: Frame = { fn, arg: 0, all: this.secretPosition(), secret: new Set(secretArguments(fn)), secretFrom: Infinity, namedLiterally: false };
      if (this.insert && this.frames.length === 0) {
        if (this.insert.values) for (const column of this.insert.secret) frame.secret.add(column);
        else if (!this.insert.listed) frame.columns = true;
      }
      this.frames.push(frame);
    } else if (c === ')') {
      if (this.frames.pop()?.columns) this.insert!.listed = true;
    } else if (c === ',') {
      if (top) {
        // set_config($1, $2, …): the name is not visible here, so the value is treated as secret.
        if (isSettingFunction(top.fn) && top.arg === 0 && !top.namedLiterally) top.secret.add(1);
        top.arg++;
      }
    } else {
      this.frames = [];
      this.inSet = false;
      this.insert = null;
    }
    this.pending = this.assigned = this.inValue = this.castNext = false;
    this.lastWord = null;
    this.lastWordSecret = false;
  }

  private op(raw: string): void {
    this.lastWordSecret = false;
    if (raw === '.') return; // schema.function( and app.setting: keep the word chain going
    this.lastWord = null;
    if (raw === '::') {
      this.castNext = true;
      return;
    }
    if (raw === '||') {
      if (this.inValue) this.pending = this.assigned = true;
      this.inValue = false;
      return;
    }
    if (this.pending && /^(?:=|:=|=>|:)$/.test(raw)) {
      this.assigned = true;
      return;
    }
    this.pending = this.assigned = this.inValue = false;
  }
}

function isOpen(token: SqlToken): boolean {
  if (token.kind === 'string' || token.kind === 'dollar' || token.kind === 'identifier') return !token.terminated;
  if (token.kind === 'comment') return token.open === '/*' && token.close === '';
  return false;
}

function nextSolid(pieces: CodePiece[], from: number): CodePiece | undefined {
  for (let i = from; i < pieces.length; i++) if (pieces[i]!.kind !== 'space') return pieces[i];
  return undefined;
}

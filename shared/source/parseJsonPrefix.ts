/**
 * The value of JSON text that was cut short (a row longer than MAX_RECORD_CHARS): everything that was
 * read, with the open string, array and object closed where the text ends. A row's message column is
 * thus kept up to the cut, as a stderr line is. Returns undefined when the text is not the start of a
 * JSON value, or nests deeper than `maxDepth`. Only for the rare cut row: JSON.parse reads whole rows.
 */
export function parseJsonPrefix(text: string, maxDepth: number): unknown {
  const parser = new PrefixParser(text, maxDepth);
  try {
    return parser.value(0);
  } catch (err) {
    if (err instanceof Partial) return err.value;
    if (err instanceof NotJson || err instanceof End) return undefined;
    throw err;
  }
}

class NotJson extends Error {}

/** Thrown inside when the text ends: the caller keeps what it has. */
class End extends Error {}

class PrefixParser {
  private at = 0;

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  value(depth: number): unknown {
    this.space();
    if (this.at >= this.text.length) throw new End();
    const c = this.text[this.at];
    if (c === '{' || c === '[') {
      if (depth >= this.maxDepth) throw new NotJson();
      return c === '{' ? this.object(depth + 1) : this.array(depth + 1);
    }
    if (c === '"') return this.string();
    const m = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(this.text.slice(this.at, this.at + 64));
    if (!m) throw new NotJson();
    this.at += m[0].length;
    if (this.at >= this.text.length) throw new End(); // a number may have been cut
    return JSON.parse(m[0]) as unknown;
  }

  private object(depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.at++;
    try {
      this.space();
      if (this.peek() === '}') {
        this.at++;
        return out;
      }
      for (;;) {
        this.space();
        if (this.peek() !== '"') throw this.at >= this.text.length ? new End() : new NotJson();
        let key: string;
        try {
          key = this.string();
        } catch (err) {
          throw err instanceof Partial ? new End() : err; // a key cut short names nothing
        }
        this.space();
        if (this.peek() !== ':') throw this.at >= this.text.length ? new End() : new NotJson();
        this.at++;
        try {
          out[key] = this.value(depth);
        } catch (err) {
          if (err instanceof Partial) out[key] = err.value;
          throw err instanceof Partial ? new End() : err;
        }
        this.space();
        const next = this.peek();
        this.at++;
        if (next === '}') return out;
        if (next !== ',') throw next === undefined ? new End() : new NotJson();
      }
    } catch (err) {
      if (err instanceof End) throw new Partial(out);
      throw err;
    }
  }

  private array(depth: number): unknown[] {
    const out: unknown[] = [];
    this.at++;
    try {
      this.space();
      if (this.peek() === ']') {
        this.at++;
        return out;
      }
      for (;;) {
        try {
          out.push(this.value(depth));
        } catch (err) {
          if (err instanceof Partial) out.push(err.value);
          throw err instanceof Partial ? new End() : err;
        }
        this.space();
        const next = this.peek();
        this.at++;
        if (next === ']') return out;
        if (next !== ',') throw next === undefined ? new End() : new NotJson();
      }
    } catch (err) {
      if (err instanceof End) throw new Partial(out);
      throw err;
    }
  }

  /** A string; one cut short is kept up to its last whole character or escape. */
  private string(): string {
    const start = this.at;
    let i = start + 1;
    for (; i < this.text.length; i++) {
      const c = this.text.charCodeAt(i);
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) break;
    }
    if (i < this.text.length) {
      this.at = i + 1;
      return this.decode(this.text.slice(start, i + 1));
    }
    this.at = this.text.length;
    // Drop a trailing partial escape (`\`, `\u12`) before closing the string.
    const body = this.text.slice(start).replace(/\\(?:u[0-9a-fA-F]{0,3})?$/, (m) => (isEscaped(this.text, this.text.length - m.length) ? m : ''));
    throw new Partial(this.decode(body + '"'));
  }

  private decode(quoted: string): string {
    try {
      return JSON.parse(quoted) as string;
    } catch {
      throw new NotJson();
    }
  }

  private space(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at]!)) this.at++;
  }

  private peek(): string | undefined {
    return this.text[this.at];
  }
}

/** A value cut short by the end of the text, carried up to the enclosing container. */
class Partial extends Error {
  constructor(readonly value: unknown) {
    super('partial');
  }
}

/** Whether the backslash at `at` is itself escaped (preceded by an odd number of backslashes). */
function isEscaped(text: string, at: number): boolean {
  let n = 0;
  for (let i = at - 1; i >= 0 && text.charCodeAt(i) === 92; i--) n++;
  return n % 2 === 1;
}

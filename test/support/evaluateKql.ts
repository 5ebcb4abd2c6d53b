import { analyzeKql, loadKusto, type WorkspaceSchemas } from './kustoLanguage';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Node = any;

/** A row as the workspace holds it: its columns (TimeGenerated as a Date) and when it arrived. */
export interface StoredRow {
  ingestedAt: Date;
  columns: Record<string, unknown>;
}

/** A table's rows. `scan` may narrow by arrival (like Kusto's extent pruning); the filter still applies. */
export interface RowSource {
  scan(ingestedFromMs: number | null, ingestedToMs: number | null): Iterable<StoredRow>;
}

export interface EvaluationInput {
  query: string;
  schemas: WorkspaceSchemas;
  rows: ReadonlyMap<string, RowSource>;
  /** The request's timespan: applied to every table's TimeGenerated, as the service does. */
  timespan: { start: Date; end: Date } | null;
  /** Stop after this many rows plus one (enough to know the result is over the service's limit). */
  rowLimit?: number;
}

export interface Evaluation {
  columns: { name: string; type: string }[];
  rows: Record<string, unknown>[];
  /** Tables a `union isfuzzy=true` named that the workspace does not have (the service warns). */
  unresolvedFuzzyTables: string[];
}

/** The query was refused, as the service refuses it with 400 BadArgumentError. */
export class KqlRejected extends Error {
  constructor(readonly innerCode: 'SyntaxError' | 'SemanticError' | 'UnsupportedByStandIn', message: string) {
    super(message);
  }
}

interface Row {
  values: Record<string, unknown>;
  ingestedAt: Date | null;
}
type Scalar = (row: Row | null) => unknown;
interface Stream {
  columns: { name: string; type: string }[];
  rows(): Iterable<Row>;
}
interface Bounds {
  from: number | null;
  to: number | null;
}

/**
 * Evaluates the subset of KQL our queries use over in-memory rows, compiled from the syntax tree of
 * Microsoft's own parser (so the text is read exactly as Kusto reads it): `let` of scalars,
 * `union [isfuzzy=true]`, `where`, `project`, `extend`, comparisons, `and`/`or`, `contains(_cs)`,
 * `in`/`in~`, `startswith`, and the functions `ingestion_time`, `tolower`, `toupper`, `iff`, `isempty`,
 * `isnotempty`, `extract`, `toint`, `column_ifexists`. Anything else is refused (400), so a query the
 * stand-in cannot evaluate faithfully never passes a test.
 */
export function evaluateKql(input: EvaluationInput): Evaluation {
  const analyzed = analyzeKql(input.query, input.schemas);
  const errors = analyzed.diagnostics.filter((d) => d.severity === 'Error');
  if (errors.length > 0) {
    const syntax = errors.some((d) => d.code.startsWith('KS0'));
    throw new KqlRejected(syntax ? 'SyntaxError' : 'SemanticError', errors.map((d) => `${d.message} (${d.code} at ${d.start})`).join('; '));
  }
  const K = loadKusto();
  const kind = (n: Node): string => analyzed.kindName(n);
  const unresolved: string[] = [];
  const lets = new Map<string, unknown>();
  /** The columns of the operator being compiled: what column_ifexists looks in. */
  let inScope: Stream['columns'] = [];

  const child = (n: Node, name: string): Node => {
    for (let i = 0; i < n.ChildCount; i++) if (n.GetName(i) === name) return n.GetChild(i);
    throw new KqlRejected('UnsupportedByStandIn', `${kind(n)} has no ${name}`);
  };
  const listItems = (list: Node): Node[] => {
    const out: Node[] = [];
    for (let i = 0; i < list.ChildCount; i++) {
      const e = list.GetChild(i);
      out.push(kind(e) === 'SeparatedElement' ? e.GetChild(0) : e);
    }
    return out;
  };
  const nameOf = (n: Node): string => {
    let text: string | null = null;
    K.Language.Syntax.SyntaxElement.WalkElements(n, (e: Node) => {
      if (text === null && e instanceof K.Language.Syntax.SyntaxToken) text = e.ValueText;
    });
    if (text === null) throw new KqlRejected('UnsupportedByStandIn', `no name in ${kind(n)}`);
    return text;
  };
  const unsupported = (n: Node): never => {
    throw new KqlRejected('UnsupportedByStandIn', `the Log Analytics stand-in does not evaluate ${kind(n)}: ${String(n.ToString?.() ?? '')}`);
  };
  const typeOf = (n: Node): string => (n.ResultType?.Name as string | undefined) ?? 'string';

  function tabular(n: Node, fuzzy: boolean, bounds: Bounds): Stream {
    switch (kind(n)) {
      case 'ParenthesizedExpression':
        return tabular(child(n, 'Expression'), fuzzy, bounds);
      case 'NameReference':
        return table(nameOf(n), fuzzy, bounds);
      case 'PipeExpression': {
        const op = child(n, 'Operator');
        // Arrival bounds of a `where` reach the table scan (pruning); the filter itself still runs.
        const inner = kind(op) === 'FilterOperator' ? intersect(bounds, arrivalBounds(child(op, 'Condition'))) : { from: null, to: null };
        return operator(op, tabular(child(n, 'Expression'), fuzzy, inner));
      }
      case 'UnionOperator':
        return union(n);
      default:
        return unsupported(n);
    }
  }

  function table(name: string, fuzzy: boolean, bounds: Bounds): Stream {
    const schema = input.schemas[name];
    if (!schema) {
      if (!fuzzy) throw new KqlRejected('SemanticError', `Failed to resolve table expression named '${name}'`);
      unresolved.push(name);
      return { columns: [], rows: () => [] };
    }
    const source = input.rows.get(name);
    const start = input.timespan?.start.getTime() ?? -Infinity;
    const end = input.timespan?.end.getTime() ?? Infinity;
    return {
      columns: Object.entries(schema).map(([c, type]) => ({ name: c, type })),
      *rows() {
        if (!source) return;
        for (const r of source.scan(bounds.from, bounds.to)) {
          const t = (r.columns.TimeGenerated as Date).getTime();
          if (t >= start && t <= end) yield { values: r.columns, ingestedAt: r.ingestedAt };
        }
      },
    };
  }

  function union(n: Node): Stream {
    let fuzzy = false;
    for (const p of listItems(child(n, 'Parameters'))) {
      if (nameOf(child(p, 'Name')).toLowerCase() !== 'isfuzzy') unsupported(p);
      fuzzy = scalar(child(p, 'Expression'))(null) === true;
    }
    const legs = listItems(child(n, 'Expressions')).map((e) => tabular(e, fuzzy, { from: null, to: null }));
    const columns: Stream['columns'] = [];
    for (const leg of legs) for (const c of leg.columns) if (!columns.some((x) => x.name === c.name)) columns.push(c);
    return { columns, *rows() { for (const leg of legs) yield* leg.rows(); } };
  }

  function operator(op: Node, input: Stream): Stream {
    inScope = input.columns;
    switch (kind(op)) {
      case 'FilterOperator': {
        if (listItems(child(op, 'Parameters')).length > 0) unsupported(op);
        const condition = scalar(child(op, 'Condition'));
        return { columns: input.columns, *rows() { for (const r of input.rows()) if (condition(r) === true) yield r; } };
      }
      case 'ProjectOperator':
      case 'ExtendOperator': {
        const extend = kind(op) === 'ExtendOperator';
        const outputs = listItems(child(op, 'Expressions')).map((e) => {
          if (kind(e) === 'NameReference') return { name: nameOf(e), value: scalar(e), type: typeOf(e) };
          if (kind(e) !== 'SimpleNamedExpression') return unsupported(e);
          const expr = child(e, 'Expression');
          return { name: nameOf(child(e, 'Name')), value: scalar(expr), type: typeOf(expr) };
        });
        const kept = extend ? input.columns.filter((c) => !outputs.some((o) => o.name === c.name)) : [];
        return {
          columns: [...kept, ...outputs.map((o) => ({ name: o.name, type: o.type }))],
          *rows() {
            for (const r of input.rows()) {
              const values: Record<string, unknown> = extend ? { ...r.values } : {};
              for (const o of outputs) values[o.name] = o.value(r);
              // ingestion_time() is a property of the stored row: a projection drops it.
              yield { values, ingestedAt: extend ? r.ingestedAt : null };
            }
          },
        };
      }
      default:
        return unsupported(op);
    }
  }

  function scalar(n: Node): Scalar {
    switch (kind(n)) {
      case 'StringLiteralExpression': {
        const value = n.LiteralValue as string;
        return () => value;
      }
      case 'LongLiteralExpression':
      case 'IntLiteralExpression':
      case 'RealLiteralExpression': {
        const text = String(n.Token.ValueText);
        const value = text === 'null' ? null : Number(text);
        return () => value;
      }
      case 'BooleanLiteralExpression': {
        const value = String(n.Token.ValueText).toLowerCase() === 'true';
        return () => value;
      }
      case 'DateTimeLiteralExpression': {
        const text: string = n.Token.ValueText;
        const value = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
        return () => value;
      }
      case 'ParenthesizedExpression':
        return scalar(child(n, 'Expression'));
      case 'NameReference': {
        const name = nameOf(n);
        if (lets.has(name)) {
          const value = lets.get(name);
          return () => value;
        }
        return (row) => row?.values[name] ?? null;
      }
      case 'FunctionCallExpression':
        return call(nameOf(child(n, 'Name')), listItems(child(child(n, 'ArgumentList'), 'Expressions')).map(scalar), n);
      default:
        if (n.ChildCount === 3 && n.GetName(1) === 'Operator') return binary(n);
        return unsupported(n);
    }
  }

  function call(name: string, args: Scalar[], n: Node): Scalar {
    const [a, b, c] = args as [Scalar, Scalar, Scalar];
    const str = (f: Scalar, r: Row | null, map: (s: string) => string) => {
      const v = f(r);
      return v === null ? null : map(String(v));
    };
    switch (name) {
      case 'ingestion_time': return (r) => r?.ingestedAt ?? null;
      case 'tolower': return (r) => str(a, r, (s) => s.toLowerCase());
      case 'toupper': return (r) => str(a, r, (s) => s.toUpperCase());
      case 'iff': return (r) => (a(r) === true ? b(r) : c(r));
      case 'isempty': return (r) => { const v = a(r); return v === null || v === ''; };
      case 'isnotempty': return (r) => { const v = a(r); return !(v === null || v === ''); };
      case 'extract': {
        const regex = new RegExp(String(a(null)));
        const group = Number(b(null));
        return (r) => {
          const text = c(r);
          return text === null ? '' : (regex.exec(String(text))?.[group] ?? '');
        };
      }
      case 'toint': return (r) => {
        const v = a(r);
        const num = typeof v === 'string' ? Number(v) : v;
        return typeof num === 'number' && Number.isFinite(num) ? Math.trunc(num) : null;
      };
      case 'column_ifexists': {
        // Resolved against the input's columns (the table's schema), as Kusto does, not per row.
        const column = String(a(null));
        const exists = inScope.some((col) => col.name === column);
        return exists ? (r) => r?.values[column] ?? null : b;
      }
      default: return unsupported(n);
    }
  }

  function binary(n: Node): Scalar {
    const op = String(child(n, 'Operator').Text).toLowerCase();
    const left = scalar(child(n, 'Left'));
    const rightNode = child(n, 'Right');
    if (op === 'and') { const right = scalar(rightNode); return (r) => left(r) === true && right(r) === true; }
    if (op === 'or') { const right = scalar(rightNode); return (r) => left(r) === true || right(r) === true; }
    if (op === 'in' || op === 'in~' || op === '!in' || op === '!in~') {
      const ci = op.endsWith('~');
      const norm = (v: unknown) => (ci && typeof v === 'string' ? v.toLowerCase() : v);
      const list = new Set(listItems(child(rightNode, 'Expressions')).map((e) => norm(scalar(e)(null))));
      const negate = op.startsWith('!');
      return (r) => { const v = left(r); const found = v !== null && list.has(norm(v)); return negate ? !found : found; };
    }
    const right = scalar(rightNode);
    const cmp = (x: unknown) => (x instanceof Date ? x.getTime() : x) as number | string;
    const test = comparison(op, n);
    return (r) => {
      const a = left(r);
      const b = right(r);
      return a === null || b === null ? null : test(cmp(a), cmp(b));
    };
  }

  function comparison(op: string, n: Node): (a: number | string, b: number | string) => boolean {
    const lower = (x: number | string) => String(x).toLowerCase();
    switch (op) {
      case '==': return (a, b) => a === b;
      case '!=': return (a, b) => a !== b;
      case '=~': return (a, b) => lower(a) === lower(b);
      case '>': return (a, b) => a > b;
      case '>=': return (a, b) => a >= b;
      case '<': return (a, b) => a < b;
      case '<=': return (a, b) => a <= b;
      case 'contains': return (a, b) => lower(a).includes(lower(b));
      case '!contains': return (a, b) => !lower(a).includes(lower(b));
      case 'contains_cs': return (a, b) => String(a).includes(String(b));
      case '!contains_cs': return (a, b) => !String(a).includes(String(b));
      case 'startswith': return (a, b) => lower(a).startsWith(lower(b));
      case 'startswith_cs': return (a, b) => String(a).startsWith(String(b));
      default: return unsupported(n);
    }
  }

  /** `ingestion_time() > X and ingestion_time() <= Y` (any order, X/Y constant) as loose bounds. */
  function arrivalBounds(condition: Node): Bounds {
    const out: Bounds = { from: null, to: null };
    const visit = (c: Node): void => {
      if (kind(c) === 'ParenthesizedExpression') return visit(child(c, 'Expression'));
      if (kind(c) === 'AndExpression') {
        visit(child(c, 'Left'));
        visit(child(c, 'Right'));
        return;
      }
      if (!(c.ChildCount === 3 && c.GetName(1) === 'Operator')) return;
      const left = child(c, 'Left');
      if (kind(left) !== 'FunctionCallExpression' || nameOf(child(left, 'Name')) !== 'ingestion_time') return;
      const right = child(c, 'Right');
      if (kind(right) !== 'NameReference' && kind(right) !== 'DateTimeLiteralExpression') return;
      if (kind(right) === 'NameReference' && !lets.has(nameOf(right))) return;
      const value = scalar(right)(null);
      if (!(value instanceof Date)) return;
      const op = String(child(c, 'Operator').Text);
      if (op === '>' || op === '>=') out.from = Math.max(out.from ?? -Infinity, value.getTime());
      if (op === '<' || op === '<=') out.to = Math.min(out.to ?? Infinity, value.getTime());
    };
    visit(condition);
    return out;
  }

  let result: Stream | null = null;
  for (const statement of listItems(child(analyzed.syntax, 'Statements'))) {
    if (kind(statement) === 'LetStatement') {
      lets.set(nameOf(child(statement, 'Name')), scalar(child(statement, 'Expression'))(null));
    } else if (kind(statement) === 'ExpressionStatement') {
      if (result) unsupported(statement);
      result = tabular(child(statement, 'Expression'), false, { from: null, to: null });
    } else {
      unsupported(statement);
    }
  }
  if (!result) throw new KqlRejected('SemanticError', 'the query has no tabular expression');
  const rows: Record<string, unknown>[] = [];
  const stopAt = (input.rowLimit ?? Infinity) + 1;
  for (const r of result.rows()) {
    rows.push(r.values);
    if (rows.length >= stopAt) break;
  }
  return { columns: result.columns, rows, unresolvedFuzzyTables: unresolved };
}

function intersect(a: Bounds, b: Bounds): Bounds {
  const max = (x: number | null, y: number | null) => (x === null ? y : y === null ? x : Math.max(x, y));
  const min = (x: number | null, y: number | null) => (x === null ? y : y === null ? x : Math.min(x, y));
  return { from: max(a.from, b.from), to: min(a.to, b.to) };
}

import { analyzeKql, loadKusto, type WorkspaceSchemas } from './kustoLanguage';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Node = any;

/** A row as the workspace holds it: its columns (TimeGenerated as a Date) and when it arrived. */
export interface StoredRow {
  ingestedAt: Date;
  columns: Record<string, unknown>;
}

export interface EvaluationInput {
  query: string;
  schemas: WorkspaceSchemas;
  rows: ReadonlyMap<string, readonly StoredRow[]>;
  /** The request's timespan: applied to every table's TimeGenerated, as the service does. */
  timespan: { start: Date; end: Date } | null;
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

interface Table {
  columns: { name: string; type: string }[];
  rows: { values: Record<string, unknown>; ingestedAt: Date | null }[];
}

/**
 * Evaluates the subset of KQL our queries use over in-memory rows, on the syntax tree of Microsoft's
 * own parser: `let` of scalars, `union [isfuzzy=true]`, `where`, `project`, `extend`, comparisons,
 * `and`/`or`, `contains(_cs)`, `in`/`in~`, `startswith`, and the functions `ingestion_time`, `tolower`,
 * `toupper`, `iff`, `isempty`, `isnotempty`, `extract`, `toint`, `column_ifexists`. Anything else is
 * refused, so a query the stand-in cannot evaluate faithfully never passes a test.
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

  function tabular(n: Node, fuzzy: boolean): Table {
    switch (kind(n)) {
      case 'ParenthesizedExpression':
        return tabular(child(n, 'Expression'), fuzzy);
      case 'NameReference':
        return tableRows(nameOf(n), fuzzy);
      case 'PipeExpression':
        return operator(child(n, 'Operator'), tabular(child(n, 'Expression'), fuzzy));
      case 'UnionOperator':
        return union(n);
      default:
        return unsupported(n);
    }
  }

  function tableRows(name: string, fuzzy: boolean): Table {
    const schema = input.schemas[name];
    if (!schema) {
      if (!fuzzy) throw new KqlRejected('SemanticError', `Failed to resolve table expression named '${name}'`);
      unresolved.push(name);
      return { columns: [], rows: [] };
    }
    const span = input.timespan;
    const rows = (input.rows.get(name) ?? []).filter((r) => {
      if (!span) return true;
      const t = (r.columns.TimeGenerated as Date).getTime();
      return t >= span.start.getTime() && t <= span.end.getTime();
    });
    return {
      columns: Object.entries(schema).map(([c, type]) => ({ name: c, type })),
      rows: rows.map((r) => ({ values: r.columns, ingestedAt: r.ingestedAt })),
    };
  }

  function union(n: Node): Table {
    let fuzzy = false;
    for (const p of listItems(child(n, 'Parameters'))) {
      if (nameOf(child(p, 'Name')).toLowerCase() !== 'isfuzzy') unsupported(p);
      fuzzy = scalar(child(p, 'Expression'), null) === true;
    }
    const legs = listItems(child(n, 'Expressions')).map((e) => tabular(e, fuzzy));
    const columns: Table['columns'] = [];
    for (const leg of legs) for (const c of leg.columns) if (!columns.some((x) => x.name === c.name)) columns.push(c);
    return { columns, rows: legs.flatMap((l) => l.rows) };
  }

  function operator(op: Node, input: Table): Table {
    switch (kind(op)) {
      case 'FilterOperator': {
        if (listItems(child(op, 'Parameters')).length > 0) unsupported(op);
        const condition = child(op, 'Condition');
        return { columns: input.columns, rows: input.rows.filter((r) => scalar(condition, r) === true) };
      }
      case 'ProjectOperator':
      case 'ExtendOperator': {
        const extend = kind(op) === 'ExtendOperator';
        const outputs = listItems(child(op, 'Expressions')).map((e) => {
          if (kind(e) === 'NameReference') return { name: nameOf(e), expr: e, type: typeOf(e) };
          if (kind(e) === 'SimpleNamedExpression') {
            const expr = child(e, 'Expression');
            return { name: nameOf(child(e, 'Name')), expr, type: typeOf(expr) };
          }
          return unsupported(e);
        });
        const kept = extend ? input.columns.filter((c) => !outputs.some((o) => o.name === c.name)) : [];
        return {
          columns: [...kept, ...outputs.map((o) => ({ name: o.name, type: o.type }))],
          rows: input.rows.map((r) => {
            const values: Record<string, unknown> = extend ? { ...r.values } : {};
            for (const o of outputs) values[o.name] = scalar(o.expr, r);
            // ingestion_time() is a property of the stored row: a projection drops it.
            return { values, ingestedAt: extend ? r.ingestedAt : null };
          }),
        };
      }
      default:
        return unsupported(op);
    }
  }

  function scalar(n: Node, row: Table['rows'][number] | null): unknown {
    switch (kind(n)) {
      case 'StringLiteralExpression':
        return n.LiteralValue as string;
      case 'LongLiteralExpression':
      case 'IntLiteralExpression':
      case 'RealLiteralExpression':
        return Number(n.Token.ValueText);
      case 'BooleanLiteralExpression':
        return n.Token.ValueText.toLowerCase() === 'true';
      case 'DateTimeLiteralExpression': {
        const text: string = n.Token.ValueText;
        return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
      }
      case 'ParenthesizedExpression':
        return scalar(child(n, 'Expression'), row);
      case 'NameReference': {
        const name = nameOf(n);
        if (lets.has(name)) return lets.get(name);
        return row?.values[name] ?? null;
      }
      case 'FunctionCallExpression':
        return call(nameOf(child(n, 'Name')), listItems(child(child(n, 'ArgumentList'), 'Expressions')), row, n);
      default:
        if (n.ChildCount === 3 && n.GetName(1) === 'Operator') return binary(n, row);
        return unsupported(n);
    }
  }

  function call(name: string, args: Node[], row: Table['rows'][number] | null, n: Node): unknown {
    const arg = (i: number) => scalar(args[i], row);
    switch (name) {
      case 'ingestion_time':
        return row?.ingestedAt ?? null;
      case 'tolower':
        return arg(0) === null ? null : String(arg(0)).toLowerCase();
      case 'toupper':
        return arg(0) === null ? null : String(arg(0)).toUpperCase();
      case 'iff':
        return arg(0) === true ? arg(1) : arg(2);
      case 'isempty':
        return arg(0) === null || arg(0) === '';
      case 'isnotempty':
        return !(arg(0) === null || arg(0) === '');
      case 'extract': {
        const text = arg(2);
        if (text === null) return '';
        const m = new RegExp(String(arg(0))).exec(String(text));
        return m?.[Number(arg(1))] ?? '';
      }
      case 'toint': {
        const v = arg(0);
        const num = typeof v === 'string' ? Number(v) : v;
        return typeof num === 'number' && Number.isFinite(num) ? Math.trunc(num) : null;
      }
      case 'column_ifexists': {
        const column = String(arg(0));
        return row && column in row.values ? (row.values[column] ?? null) : arg(1);
      }
      default:
        return unsupported(n);
    }
  }

  function binary(n: Node, row: Table['rows'][number] | null): unknown {
    const op = String(child(n, 'Operator').Text).toLowerCase();
    const left = () => scalar(child(n, 'Left'), row);
    const rightNode = child(n, 'Right');
    if (op === 'and') return left() === true && scalar(rightNode, row) === true;
    if (op === 'or') return left() === true || scalar(rightNode, row) === true;
    const a = left();
    if (op === 'in' || op === 'in~' || op === '!in' || op === '!in~') {
      const ci = op.endsWith('~');
      const list = listItems(child(rightNode, 'Expressions')).map((e) => scalar(e, row));
      const norm = (v: unknown) => (ci && typeof v === 'string' ? v.toLowerCase() : v);
      const found = a !== null && list.some((v) => norm(v) === norm(a));
      return op.startsWith('!') ? !found : found;
    }
    const b = scalar(rightNode, row);
    if (a === null || b === null) return null;
    const cmp = (x: unknown) => (x instanceof Date ? x.getTime() : x) as number | string;
    switch (op) {
      case '==': return cmp(a) === cmp(b);
      case '!=': return cmp(a) !== cmp(b);
      case '=~': return String(a).toLowerCase() === String(b).toLowerCase();
      case '>': return cmp(a) > cmp(b);
      case '>=': return cmp(a) >= cmp(b);
      case '<': return cmp(a) < cmp(b);
      case '<=': return cmp(a) <= cmp(b);
      case 'contains': return String(a).toLowerCase().includes(String(b).toLowerCase());
      case '!contains': return !String(a).toLowerCase().includes(String(b).toLowerCase());
      case 'contains_cs': return String(a).includes(String(b));
      case '!contains_cs': return !String(a).includes(String(b));
      case 'startswith': return String(a).toLowerCase().startsWith(String(b).toLowerCase());
      case 'startswith_cs': return String(a).startsWith(String(b));
      default: return unsupported(n);
    }
  }

  let result: Table | null = null;
  for (const statement of listItems(child(analyzed.syntax, 'Statements'))) {
    if (kind(statement) === 'LetStatement') {
      lets.set(nameOf(child(statement, 'Name')), scalar(child(statement, 'Expression'), null));
    } else if (kind(statement) === 'ExpressionStatement') {
      if (result) unsupported(statement);
      result = tabular(child(statement, 'Expression'), false);
    } else {
      unsupported(statement);
    }
  }
  if (!result) throw new KqlRejected('SemanticError', 'the query has no tabular expression');
  return {
    columns: result.columns,
    rows: result.rows.map((r) => r.values),
    unresolvedFuzzyTables: unresolved,
  };
}

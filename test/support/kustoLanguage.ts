import { TABLE_SCHEMAS, type KustoType } from './tableSchemas';

/* The Kusto language service is C# compiled to JavaScript (Bridge.NET): it defines globals, and its
   objects are reached through loosely typed members. */
/* eslint-disable @typescript-eslint/no-explicit-any */
type Kusto = any;

export interface KustoDiagnostic {
  code: string;
  severity: string;
  message: string;
  start: number;
}

export interface AnalyzedQuery {
  diagnostics: KustoDiagnostic[];
  /** The syntax tree's root (Kusto.Language.Syntax.SyntaxNode). */
  syntax: any;
  kindName(element: any): string;
}

let kusto: Kusto | null = null;
let kindNames: Record<number, string> = {};
const globalsByTables = new Map<string, any>();

/** Microsoft's Kusto parser/analyzer (@kusto/language-service-next), loaded once per process. */
export function loadKusto(): Kusto {
  if (kusto) return kusto;
  require(require.resolve('@kusto/language-service-next/bridge.min.js'));
  require(require.resolve('@kusto/language-service-next/Kusto.Language.Bridge.min.js'));
  kusto = (globalThis as any).Kusto;
  kindNames = {};
  for (const [name, value] of Object.entries(kusto.Language.Syntax.SyntaxKind)) if (typeof value === 'number') kindNames[value] = name;
  return kusto;
}

export type WorkspaceSchemas = Readonly<Record<string, Readonly<Record<string, KustoType>>>>;

/** Global state with a database holding the given tables and columns. */
function globalsFor(schemas: WorkspaceSchemas): any {
  const key = JSON.stringify(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
  let globals = globalsByTables.get(key);
  if (globals) return globals;
  const K = loadKusto();
  const symbols = Object.entries(schemas).map(([name, schema]) => {
    const columns = Object.entries(schema).map(([column, type]) => `${column}:${type}`).join(', ');
    return new K.Language.Symbols.TableSymbol.$ctor7(name, `(${columns})`, null);
  });
  const db = new K.Language.Symbols.DatabaseSymbol.ctor('workspace', symbols);
  const cluster = new K.Language.Symbols.ClusterSymbol.ctor('loganalytics', [db]);
  globals = K.Language.GlobalState.Default.WithCluster(cluster).WithDatabase(db);
  globalsByTables.set(key, globals);
  return globals;
}

/**
 * Parses and analyzes a query against a workspace holding `tables` (names of documented tables, default
 * both) or the given table schemas.
 */
export function analyzeKql(query: string, tables: readonly string[] | WorkspaceSchemas = Object.keys(TABLE_SCHEMAS)): AnalyzedQuery {
  const K = loadKusto();
  const schemas: WorkspaceSchemas = Array.isArray(tables)
    ? Object.fromEntries(tables.map((t) => [t, TABLE_SCHEMAS[t as keyof typeof TABLE_SCHEMAS] ?? fail(`no documented schema for table ${t}`)]))
    : (tables as WorkspaceSchemas);
  const code = K.Language.KustoCode.ParseAndAnalyze(query, globalsFor(schemas));
  const list = code.GetDiagnostics();
  const diagnostics: KustoDiagnostic[] = [];
  for (let i = 0; i < list.Count; i++) {
    const d = list.getItem(i);
    diagnostics.push({ code: d.Code, severity: String(d.Severity), message: d.Message, start: d.Start });
  }
  return { diagnostics, syntax: code.Syntax, kindName: (element) => kindNames[element.Kind] ?? String(element.Kind) };
}

function fail(message: string): never {
  throw new Error(message);
}

/** Every syntax node's kind (tokens excluded), in document order. */
export function syntaxKinds(analyzed: AnalyzedQuery): string[] {
  const K = loadKusto();
  const out: string[] = [];
  K.Language.Syntax.SyntaxElement.WalkElements(analyzed.syntax, (e: any) => {
    if (!(e instanceof K.Language.Syntax.SyntaxToken)) out.push(analyzed.kindName(e));
  });
  return out;
}

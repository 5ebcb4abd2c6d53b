/**
 * Whether a query text is exactly one that PostgreSQL's referential-integrity triggers generate to check a
 * key (src/backend/utils/adt/ri_triggers.c, PG 13–17; RI_FKey_check, ri_Check_Pk_Match, ri_restrict):
 *
 *   SELECT 1 FROM [ONLY ]"schema"."table" x WHERE <qual> [AND <qual>]... FOR KEY SHARE OF x
 *   <qual>:  "column"[::ns.type] OPERATOR(pg_catalog.op) $n[::ns.type]        (the referenced table)
 *        |  $n[::ns.type] OPERATOR(pg_catalog.op) "column"[::ns.type][ COLLATE "ns"."coll"]   (the referencing)
 *
 * quoteOneName() always double-quotes table and column names; generate_operator_clause() qualifies the
 * operator and casts. Nothing else fits: no subquery, function call, literal or second table, so a
 * hand-written statement that borrows the shape can learn no more than whether a key exists. Operators and
 * casts must be pg_catalog's (a user-defined operator runs user code on every row it compares).
 * Returns the (quoted) table name the query reads, or null.
 */
export function foreignKeyCheckTable(query: string): string | null {
  const m = SHAPE.exec(query);
  if (!m) return null;
  const quals = m[2]!.split(' AND ');
  const params = new Set<number>();
  for (const qual of quals) {
    const q = QUAL.exec(qual);
    if (!q) return null;
    const param = Number((q[1] ?? q[2])!);
    if (params.has(param)) return null;
    params.add(param);
  }
  // $1..$n, each once: the trigger binds one parameter per key column.
  for (let i = 1; i <= params.size; i++) if (!params.has(i)) return null;
  return m[1]!;
}

const IDENT = '"(?:[^"]|"")+"';
const CAST = '(?:::pg_catalog\\.[a-z0-9_]+|::pg_catalog\\."(?:[^"]|"")+")?';
const OPERATOR = ' OPERATOR\\(pg_catalog\\.[-+*/<>=~!@#%^&|`?]+\\) ';
const COLLATE = `(?: COLLATE ${IDENT}\\.${IDENT})?`;
const SHAPE = new RegExp(`^SELECT 1 FROM (?:ONLY )?(${IDENT}\\.${IDENT}) x WHERE (.+) FOR KEY SHARE OF x$`, 's');
const QUAL = new RegExp(`^(?:${IDENT}${CAST}${OPERATOR}\\$([1-9][0-9]?)${CAST}|\\$([1-9][0-9]?)${CAST}${OPERATOR}${IDENT}${CAST}${COLLATE})$`);

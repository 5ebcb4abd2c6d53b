/** One document's text as the records PostgreSQL wrote in one write. */
export interface WrittenRecords {
  /** The record (prefix, severity, message), its continuation lines joined with `\n`. */
  record: string;
  /** The record's CONTEXT, when PostgreSQL wrote one with it (PL/pgSQL's `... at RAISE`); else null. */
  context: string | null;
  /** The other lines of the same write (`STATEMENT:`, `DETAIL:`, `HINT:`, `QUERY:`), each whole. */
  others: string[];
}

/** Lines PostgreSQL writes after a record, each with the record's own prefix. */
const FOLLOW_UPS = ['CONTEXT', 'STATEMENT', 'DETAIL', 'HINT', 'QUERY', 'LOCATION'] as const;
/** A prefix longer than this is not looked for (bounds the work per line whatever the text). */
const MAX_PREFIX_CHARS = 2048;

/**
 * Aiven stores each record as one document, whole. Its text is read as PostgreSQL's stderr writes one
 * record: continuation lines start with a TAB (one is removed), and the lines PostgreSQL adds to the
 * record (CONTEXT, STATEMENT, DETAIL, ...) repeat the record's prefix exactly, then `SEVERITY:  `.
 * A line that does neither continues the line before it: a newline inside a role, database or
 * application name of the prefix, where PostgreSQL puts no TAB. So text a client controls (a statement,
 * a name) can neither cut a record short nor pass as its CONTEXT.
 */
export function splitDocumentMessage(message: string): WrittenRecords {
  const lines = message.split('\n');
  const pieces: string[] = [lines[0]!.endsWith('\r') ? lines[0]!.slice(0, -1) : lines[0]!];
  let context: { piece: number; at: number } | null = null;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const last = pieces.length - 1;
    if (line.charCodeAt(0) === 9 /* TAB */) {
      pieces[last] += `\n${line.slice(1)}`;
      continue;
    }
    const followUp = followUpOf(pieces[0]!, line);
    if (followUp === null) {
      pieces[last] += `\n${line}`;
      continue;
    }
    if (followUp.kind === 'CONTEXT' && context === null) context = { piece: pieces.length, at: followUp.at + 'CONTEXT:  '.length };
    pieces.push(line);
  }
  const others: string[] = [];
  let contextText: string | null = null;
  for (let i = 1; i < pieces.length; i++) {
    if (i === context?.piece) contextText = pieces[i]!.slice(context.at);
    else others.push(pieces[i]!);
  }
  return { record: pieces[0]!, context: contextText, others };
}

/** The follow-up severity of `line` (and where it starts) when the line starts with the record's exact prefix. */
function followUpOf(record: string, line: string): { kind: (typeof FOLLOW_UPS)[number]; at: number } | null {
  for (const kind of FOLLOW_UPS) {
    const marker = `${kind}:  `;
    for (let at = line.indexOf(marker); at !== -1 && at <= MAX_PREFIX_CHARS; at = line.indexOf(marker, at + 1)) {
      if (record.startsWith(line.slice(0, at)) && /^[A-Z][A-Z0-9]*:  /.test(record.slice(at, at + 24))) return { kind, at };
    }
  }
  return null;
}

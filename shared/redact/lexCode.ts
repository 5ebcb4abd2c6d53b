/**
 * The pieces of SQL outside quotes that redaction reasons about: words (names and keywords),
 * numbers, `$1` parameters, punctuation that nests or separates (`(`, `)`, `,`, `;`) and operator
 * runs (`=`, `:=`, `=>`, `||`, `::`, `.`). Concatenating every piece's `raw` gives the input back.
 */
export type CodePiece =
  | { kind: 'space'; raw: string }
  | { kind: 'word'; raw: string }
  | { kind: 'number'; raw: string }
  | { kind: 'param'; raw: string; index: number }
  | { kind: 'punct'; raw: '(' | ')' | ',' | ';' }
  | { kind: 'op'; raw: string }
  | { kind: 'other'; raw: string };

const PIECE =
  /(\s+)|(\$(\d+))|([A-Za-z_\u0080-\uFFFF][\w$\u0080-\uFFFF]*)|(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([(),;])|([+\-*/<>=~!@#%^&|`?:.]+)|([\s\S])/gy;

export function lexCode(code: string): CodePiece[] {
  const pieces: CodePiece[] = [];
  PIECE.lastIndex = 0;
  for (let m = PIECE.exec(code); m !== null && m[0] !== ''; m = PIECE.exec(code)) {
    const raw = m[0];
    if (m[1] !== undefined) pieces.push({ kind: 'space', raw });
    else if (m[2] !== undefined) pieces.push({ kind: 'param', raw, index: Number(m[3]) });
    else if (m[4] !== undefined) pieces.push({ kind: 'word', raw });
    else if (m[5] !== undefined) pieces.push({ kind: 'number', raw });
    else if (m[6] !== undefined) pieces.push({ kind: 'punct', raw: raw as '(' | ')' | ',' | ';' });
    else if (m[7] !== undefined) pieces.push({ kind: 'op', raw });
    else pieces.push({ kind: 'other', raw });
    if (PIECE.lastIndex >= code.length) break;
  }
  return pieces;
}

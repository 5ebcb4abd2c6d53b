/**
 * The Table Storage tables the state store uses: `<prefix>Watermarks`, `<prefix>Ledger`, `<prefix>Sessions`.
 * One place, because infra/azuredeploy.json creates the same tables up front (test/infra checks it).
 */
export function stateTableNames(prefix = 'pgaudit'): { watermarks: string; ledger: string; sessions: string } {
  if (!/^[A-Za-z][A-Za-z0-9]{2,50}$/.test(prefix)) {
    throw new Error(`Table prefix "${prefix}" must start with a letter and be 3–50 letters or digits`);
  }
  return { watermarks: `${prefix}Watermarks`, ledger: `${prefix}Ledger`, sessions: `${prefix}Sessions` };
}

/**
 * `.funcignore` as Azure Functions Core Tools reads it when it publishes a folder (local build) — a port
 * of its GitIgnoreParser and GetLocalFiles, not of git's rules, because that is what decides what reaches
 * Azure. The differences from git matter when writing the file:
 * - every pattern is anchored at the app root and matches a path *prefix* (`test` also drops `tests.txt`);
 * - `*` stops at `/` and `**` crosses it, so `*.ts` drops only top-level files: nested ones need `**\/*.ts`;
 * - `!pattern` re-includes; a trailing `/` is literal (`node_modules/` drops only what is below it).
 * Besides the file, Core Tools always skips folders named `.git`/`.vscode` and files named `.funcignore`,
 * `.gitignore`, `local.settings.json`, `project.lock.json`, at any depth, ignoring case.
 */
export class FuncIgnore {
  static readonly SKIPPED_DIRECTORIES: readonly string[] = ['.git', '.vscode'];
  static readonly SKIPPED_FILES: readonly string[] = ['.funcignore', '.gitignore', 'local.settings.json', 'project.lock.json'];

  private readonly positive: RegExp;
  private readonly negative: RegExp;

  constructor(content: string) {
    const positive: string[] = [];
    const negative: string[] = [];
    for (const raw of content.split('\n')) {
      let line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      const isNegative = line.startsWith('!');
      if (isNegative) line = line.slice(1);
      if (line.startsWith('/')) line = line.slice(1);
      (isNegative ? negative : positive).push(line);
    }
    this.positive = FuncIgnore.combine(positive);
    this.negative = FuncIgnore.combine(negative);
  }

  /** True when Core Tools uploads the file at this app-relative, `/`-separated path (the fixed skips aside). */
  accepts(path: string): boolean {
    return this.negative.test(path) || !this.positive.test(path);
  }

  /** True when the file is uploaded, the fixed skips included. */
  publishes(path: string): boolean {
    const parts = path.split('/');
    const name = parts[parts.length - 1]!.toLowerCase();
    if (FuncIgnore.SKIPPED_FILES.includes(name)) return false;
    if (parts.slice(0, -1).some((dir) => FuncIgnore.SKIPPED_DIRECTORIES.includes(dir.toLowerCase()))) return false;
    return this.accepts(path);
  }

  private static combine(patterns: string[]): RegExp {
    if (patterns.length === 0) return /$^/;
    return new RegExp(`^((${[...patterns].sort().map(FuncIgnore.toRegex).join(')|(')}))`);
  }

  private static toRegex(pattern: string): string {
    return pattern.replace(/[-[\]/{}()+?.\\^$|]/g, '\\$&').replaceAll('**', '(.+)').replaceAll('*', '([^\\/]+)');
  }
}

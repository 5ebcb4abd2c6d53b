import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FuncIgnore } from './FuncIgnore';

/**
 * The files Core Tools uploads from `root`: every file below it (symbolic links followed, as .NET's
 * directory listing does), filtered by `.funcignore` and Core Tools' fixed skips, as sorted `/` paths.
 * `skip` leaves out top-level entries that are not part of the app (the build's own output).
 */
export function listPublishedFiles(root: string, ignore: FuncIgnore, skip: readonly string[] = []): string[] {
  const files: string[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (prefix === '' && skip.includes(entry.name)) continue;
      const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      const full = join(dir, entry.name);
      const isDirectory = entry.isDirectory() || (entry.isSymbolicLink() && statSync(full, { throwIfNoEntry: false })?.isDirectory() === true);
      if (isDirectory) {
        if (!FuncIgnore.SKIPPED_DIRECTORIES.includes(entry.name.toLowerCase())) walk(full, rel);
      } else if (ignore.publishes(rel)) {
        files.push(rel);
      }
    }
  };
  walk(root, '');
  return files.sort();
}

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** This package's version, from the nearest package.json above this file named pgaudit-alerts (from dist/ or source). */
export function packageVersion(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'pgaudit-alerts' && manifest.version) return manifest.version;
    }
    if (dirname(dir) === dir) return 'unknown';
  }
}

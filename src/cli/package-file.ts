import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A file shipped with kharden (samples/, deploy/), found from wherever this code runs: src/ under vitest,
 * dist/ after tsc, dist/bundle/ after bundling. Walks up to kharden's own package.json.
 */
export function packageFile(relative: string): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && isKharden(manifest)) return path.join(dir, relative);
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`kharden's package.json not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

function isKharden(manifest: string): boolean {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'kharden';
  } catch {
    return false;
  }
}

/**
 * Writes generated files under the current directory (the package root),
 * only those whose content changed. With `--check` on the command line,
 * writes nothing and exits 1 when any file would change.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function writeGenerated(files: ReadonlyMap<string, string | Uint8Array>): void {
  const root = process.cwd();
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [path, content] of files) {
    const full = join(root, path);
    let old: string | Buffer | null = null;
    try {
      old = readFileSync(full, typeof content === 'string' ? 'utf8' : null);
    } catch {
      old = null;
    }
    const same = old !== null && (typeof content === 'string' ? old === content : Buffer.compare(old as Buffer, Buffer.from(content)) === 0);
    if (same) continue;
    stale++;
    if (check) {
      console.log(`would change: ${path}`);
    } else {
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
      console.log(`wrote ${path}`);
    }
  }
  if (check && stale > 0) process.exit(1);
}

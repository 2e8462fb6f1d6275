/**
 * The examples use the package as a user does: every import of the package's
 * own code names a public entry (`.`, `./unix`, `./capture`, `./spec`), so
 * they read the same when copied into a project as imports of
 * `vfio-user-protocol/...`.
 */
import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const entries = new Map([
  ['../../src/index.js', '.'],
  ['../../src/unix/index.js', './unix'],
  ['../../src/capture/index.js', './capture'],
  ['../../spec/index.js', './spec'],
]);

test('the examples import the package only through its public entries', (t) => {
  const exportsMap = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, unknown> }).exports;
  for (const entry of entries.values()) t.true(entry in exportsMap, `${entry} is exported`);
  const dir = join(root, 'examples', 'device');
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
  t.true(files.length >= 4, files.join(' '));
  let imports = 0;
  for (const f of files) {
    for (const m of readFileSync(join(dir, f), 'utf8').matchAll(/from '(\.\.\/[^']+)'/g)) {
      imports++;
      t.true(entries.has(m[1]!), `${f} imports ${m[1]}`);
    }
  }
  t.true(imports >= 4, `${imports} imports of the package`);
});

import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateAll } from '../generator/all.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const generated = generateAll();

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [relative(root, join(dir, e.name))]));
}

test('npm run generate would change nothing in generated/, test/fixtures-cli/ or examples/session.jsonl', (t) => {
  const stale: string[] = [];
  for (const [path, content] of generated) {
    let onDisk: Buffer;
    try {
      onDisk = readFileSync(join(root, path));
    } catch {
      stale.push(`${path} (missing)`);
      continue;
    }
    if (!onDisk.equals(Buffer.from(content))) stale.push(path);
  }
  t.deepEqual(stale, [], 'run npm run generate and commit the result');
});

test('generated/ holds no file the generator does not write', (t) => {
  const extra = walk(join(root, 'generated')).filter((p) => !generated.has(p));
  t.deepEqual(extra, []);
});

test('test/fixtures-cli holds no file the generator does not write', (t) => {
  const extra = walk(join(root, 'test/fixtures-cli')).filter((p) => !generated.has(p));
  t.deepEqual(extra, []);
});

test('every generated text file in generated/ carries the generated-from banner', (t) => {
  for (const [path, content] of generated) {
    if (typeof content !== 'string' || !path.startsWith('generated/')) continue;
    t.regex(content.slice(0, 400), /Generated from spec\/ by generator\/\S+ \(npm run generate\)\. Do not edit\./, path);
  }
});

/**
 * The floors of the package: spec/ (data) → generator/ → generated/ →
 * src/ (runtime). The runtime never imports the generator, a build tool
 * that is not shipped, and reads spec/ through one module, src/spec.ts.
 */
import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Every relative import of every .ts file under src/, as a path from the package root. */
const imports = walk(join(root, 'src')).flatMap((file) =>
  [...readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => ({
    file: relative(root, file),
    target: relative(root, resolve(dirname(file), m[1]!)),
  })),
);

test('the runtime imports nothing from the generator', (t) => {
  t.true(imports.length > 100, `${imports.length} imports read`);
  t.deepEqual(
    imports.filter((i) => i.target.startsWith('generator/')),
    [],
  );
});

test('only src/spec.ts imports spec/, and it imports nothing else', (t) => {
  const fromSpec = imports.filter((i) => i.target.startsWith('spec/'));
  t.true(fromSpec.length >= 5, `${fromSpec.length} imports of spec/`);
  t.deepEqual(
    fromSpec.filter((i) => i.file !== join('src', 'spec.ts')),
    [],
  );
  t.deepEqual(
    imports.filter((i) => i.file === join('src', 'spec.ts') && !i.target.startsWith('spec/')),
    [],
  );
});

test("the generator's first step (generator/main-code.ts) reaches nothing of src/ or generated/", (t) => {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s[^;'"`]*?from\s*'(\.{1,2}\/[^']+)'/gm)) visit(resolve(dirname(file), m[1]!.replace(/\.js$/, '.ts')));
  };
  visit(join(root, 'generator', 'main-code.ts'));
  const files = [...seen].map((f) => relative(root, f));
  t.true(files.includes(join('generator', 'ts.ts')) && files.some((f) => f.startsWith('spec/')), files.join(' '));
  t.deepEqual(
    files.filter((f) => f.startsWith('src/') || f.startsWith('generated/')),
    [],
  );
});

/**
 * `npm run generate` from nothing: in a copy of what the generator reads
 * (spec/, generator/, src/, scripts/, package.json and the tsconfigs), with
 * no generated/, no test/fixtures-cli/ and no examples/session.jsonl, one
 * `npm run generate` writes every artifact, byte for byte what the generator
 * of this checkout writes (which the drift test compares with the committed
 * files), and nothing else.
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateAll } from '../generator/all.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

test('npm run generate writes every artifact from an empty generated/ in one step', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vfu-regenerate-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const entry of ['spec', 'generator', 'src', 'scripts', 'package.json', 'tsconfig.json', 'tsconfig.generate.json', 'tsconfig.generate-code.json']) {
    cpSync(join(root, entry), join(dir, entry), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  t.false(existsSync(join(dir, 'generated')));
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const child = spawn(npm, ['run', 'generate'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const code = await new Promise<number | null>((r) => child.on('close', r));
  t.is(code, 0, out);
  const expected = generateAll();
  const wrong: string[] = [];
  for (const [path, content] of expected) {
    const full = join(dir, path);
    if (!existsSync(full)) wrong.push(`${path} (missing)`);
    else if (!readFileSync(full).equals(Buffer.from(content))) wrong.push(path);
  }
  t.deepEqual(wrong, []);
  const written = [...walk(join(dir, 'generated')), ...walk(join(dir, 'test', 'fixtures-cli'))].map((p) => relative(dir, p));
  t.deepEqual(
    written.filter((p) => !expected.has(p)),
    [],
  );
  t.true(written.length >= 200, `${written.length} files written under generated/ and test/fixtures-cli/`);
});

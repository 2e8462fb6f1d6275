/**
 * The API reference: TypeDoc over the package's public entries (typedoc.json;
 * `npm run docs:api` writes it to dist/api). Run here so that every test run
 * builds it, and checked for the entries and the exports a user meets first,
 * each with its doc comment. A warning fails the build (treatWarningsAsErrors).
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

interface Reflection {
  readonly name: string;
  readonly comment?: unknown;
  readonly signatures?: readonly { readonly comment?: unknown }[];
  readonly children?: readonly Reflection[];
}

test('the API reference builds from the public entries, and documents what a user meets first', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vfu-api-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const child = spawn(process.execPath, [join(root, 'node_modules/typedoc/bin/typedoc'), '--out', join(dir, 'html'), '--json', join(dir, 'api.json')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const code = await new Promise<number | null>((r) => child.on('close', r));
  t.is(code, 0, out);
  const api = JSON.parse(readFileSync(join(dir, 'api.json'), 'utf8')) as Reflection;
  const modules = new Map((api.children ?? []).map((m) => [m.name, m]));
  t.deepEqual([...modules.keys()].sort(), ['spec', 'src', 'src/capture', 'src/constants', 'src/interop', 'src/session', 'src/unix'], [...modules.keys()].join(' '));
  const documented = (r: Reflection | undefined): boolean => r !== undefined && (r.comment !== undefined || (r.signatures ?? []).some((s) => s.comment !== undefined));
  const find = (module: string, name: string): Reflection | undefined => modules.get(module)?.children?.find((c) => c.name === name);
  for (const [module, name] of [['src', 'decode'], ['src', 'encode'], ['src', 'FrameDecoder'], ['src', 'Conversation'], ['src/session', 'Server'], ['src/session', 'Client'], ['src/unix', 'listen'], ['src/capture', 'CaptureWriter']] as const) {
    t.true(documented(find(module, name)), `${module}.${name} is documented`);
  }
});

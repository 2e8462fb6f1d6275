import test from 'ava';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { commands } from '../spec/commands.js';
import { decode, VfioUserError, type DialectName } from '../src/index.js';
import { generateCorpus, type SeedEntry } from '../generator/corpus.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const files = generateCorpus();
const manifest = JSON.parse(files.get('generated/corpus/manifest.json') as string) as { seeds: SeedEntry[] };

test('every seed file is in the manifest and the other way round', (t) => {
  const bins = [...files.keys()].filter((p) => p.endsWith('.bin')).map((p) => p.slice('generated/corpus/'.length));
  t.deepEqual([...bins].sort(), manifest.seeds.map((s) => s.file).sort());
  t.true(manifest.seeds.length >= 200, `${manifest.seeds.length} seeds`);
});

test('seed names follow NN-<command>-request|reply|error[-case].bin and invalid ones say so', (t) => {
  for (const s of manifest.seeds) {
    const nn = String(s.cmd).padStart(2, '0');
    t.regex(s.file, new RegExp(`^${nn}-[a-z0-9-]+-(request|reply|error)(-[a-z0-9-]+)?\\.bin$`), s.file);
    t.true(s.file.includes(`-${s.kind}`), s.file);
    t.is(s.file.includes('invalid'), !s.valid, s.file);
  }
});

test('every command 1-26 has at least one valid request and one valid reply seed', (t) => {
  for (const c of commands.filter((x) => x.cmd <= 26)) {
    for (const kind of ['request', 'reply'] as const) {
      t.true(manifest.seeds.some((s) => s.cmd === c.cmd && s.kind === kind && s.valid), `${c.name} ${kind}`);
    }
  }
});

test('valid seeds decode, invalid seeds raise only the package\'s errors', (t) => {
  for (const s of manifest.seeds) {
    const bytes = files.get(`generated/corpus/${s.file}`) as Uint8Array;
    const opt = { dialect: s.dialect as DialectName, drafts: s.drafts, allowUnknownCommands: false };
    if (s.valid) {
      t.notThrows(() => decode(bytes, opt), s.file);
    } else {
      const e = t.throws(() => decode(bytes, opt), undefined, s.file);
      t.true(e instanceof VfioUserError, s.file);
    }
  }
});

test('the committed corpus is byte-identical to a fresh generation', (t) => {
  for (const [path, content] of files) {
    t.true(readFileSync(`${root}/${path}`).equals(Buffer.from(content)), path);
  }
});

/**
 * The generated Wireshark dissector against the codec: tshark, with
 * generated/wireshark/vfio-user.lua, reads the pcapng of the example session
 * and of every corpus seed, and every vfio_user field it prints must equal
 * the same path of `decode --output json` (jsonForm), every flag bit must
 * agree with its flags field, and a message the codec refuses must carry
 * `vfio_user.refused` with the codec's error code (and only then).
 */
import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PcapngReader, toPcapng, type CaptureRecord } from '../src/capture/index.js';
import { decodeRecord, inferSide } from '../src/cli/decoded.js';
import { exampleRecords } from './helpers/fixture.js';
import { jsonForm } from '../src/cli/json-form.js';
import { generateCorpus, type SeedEntry } from '../generator/corpus.js';
import { commandPrefix, wiresharkFields, type WiresharkField } from '../generator/wireshark.js';
import { commandName } from '../src/index.js';
import type { DialectName } from '../src/options.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const lua = join(root, 'generated/wireshark/vfio-user.lua');
const tshark = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
const haveTshark = tshark.status === 0;
const why = 'tshark is not installed (Debian: apt-get install tshark)';

const fields = new Map<string, WiresharkField>(wiresharkFields().map((f) => [f.abbrev, f]));

/** One `name=value` leaf per JSON leaf of decode's form, under the dissector's names. */
function decodeLeaves(form: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const k of ['kind', 'msg_id', 'cmd', 'msg_size', 'flags', 'error_no'] as const) out.push(`vfio_user.${k}=${String(form[k])}`);
  const body = form['body'];
  if (typeof body === 'string') {
    out.push(`vfio_user.body=${body}`);
    return out;
  }
  const walk = (prefix: string, x: unknown, top: boolean): void => {
    if (x === null || x === undefined) return;
    if (Array.isArray(x)) {
      for (const e of x) walk(prefix, e, false);
      return;
    }
    if (typeof x === 'object') {
      for (const [k, v] of Object.entries(x as Record<string, unknown>)) {
        if (k === 'kind' && !top) continue;
        if (k === 'json' && top) continue;
        walk(`${prefix}.${k}`, v, false);
      }
      return;
    }
    out.push(`${prefix}=${String(x)}`);
  };
  walk(commandPrefix(commandName(form['cmd'] as number)), body, true);
  return out;
}

function unescape(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The vfio_user fields of each packet of tshark's PDML, as [name, show]. */
function pdmlPackets(pdml: string): [string, string][][] {
  return pdml
    .split('<packet>')
    .slice(1)
    .map((p) => [...p.matchAll(/<field name="(vfio_user[^"]*)"[^>]*? show="([^"]*)"/g)].map((m) => [m[1]!, unescape(m[2]!)] as [string, string]));
}

function normal(name: string, show: string): string {
  const f = fields.get(name);
  if (f === undefined) return show;
  if (f.type === 'bytes') return show.replace(/:/g, '');
  if (f.type === 'string') return show;
  if (/^(0x[0-9a-f]+|-?[0-9]+)$/i.test(show)) return BigInt(show).toString();
  return show;
}

function runTshark(file: string, dialect: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('tshark', ['-X', `lua_script:${lua}`, '-o', `vfio_user.client_dialect:${dialect}`, '-o', `vfio_user.server_dialect:${dialect}`, '-r', file, '-T', 'pdml'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (status) => {
      const stderr = Buffer.concat(err).toString('utf8');
      if (status !== 0 || /Lua: Error|lua_script.*error/i.test(stderr)) reject(new Error(`tshark exited ${status}: ${stderr}`));
      else resolve(Buffer.concat(out).toString('utf8'));
    });
  });
}

interface Case {
  readonly name: string;
  readonly record: CaptureRecord;
  readonly dialect: DialectName;
}

/** Compares one packet; returns the differences (empty when tshark and decode agree). */
function compare(c: Case, shown: [string, string][]): string[] {
  const d = decodeRecord(c.record, { client: c.dialect, server: c.dialect, unknown: c.dialect }, true);
  const problems: string[] = [];
  const refused = shown.filter(([n]) => n === 'vfio_user.refused').map(([, s]) => s);
  const capture = new Map(shown.filter(([n]) => n.startsWith('vfio_user_capture.')));
  if (capture.get('vfio_user_capture.seq') !== String(c.record.seq)) problems.push(`seq ${capture.get('vfio_user_capture.seq')} != ${c.record.seq}`);
  if (c.record.nfds !== null && capture.get('vfio_user_capture.nfds') !== String(c.record.nfds)) problems.push(`nfds ${capture.get('vfio_user_capture.nfds')} != ${c.record.nfds}`);
  if (d.message === null) {
    if (refused.length !== 1 || refused[0] !== d.error!.code) problems.push(`decode refuses with ${d.error!.code}, tshark says ${refused.join(',') || 'nothing'}`);
    return problems;
  }
  if (refused.length > 0) problems.push(`tshark refuses (${refused.join(',')}) what decode accepts`);
  const want = decodeLeaves(jsonForm(d)).sort();
  const values = new Map<string, string>();
  const got: string[] = [];
  for (const [name, show] of shown) {
    const f = fields.get(name);
    if (f === undefined) {
      if (!name.startsWith('vfio_user_capture.') && !name.startsWith('vfio_user.expert.')) problems.push(`tshark field ${name} is not a generated field`);
      continue;
    }
    if (f.role === 'value') {
      got.push(`${name}=${normal(name, show)}`);
      values.set(name, normal(name, show));
    }
  }
  got.sort();
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    const missing = want.filter((x) => !got.includes(x));
    const extra = got.filter((x) => !want.includes(x));
    problems.push(`fields differ: decode only ${JSON.stringify(missing)}; tshark only ${JSON.stringify(extra)}`);
  }
  // Each flag bit agrees with its flags field (the last value shown under that name: arrays repeat names).
  for (const [name, show] of shown) {
    const f = fields.get(name);
    if (f?.role !== 'bits') continue;
    const parent = values.get(f.parent!);
    if (parent === undefined) continue;
    const mask = BigInt(f.mask!);
    let shift = 0n;
    while (((mask >> shift) & 1n) === 0n) shift++;
    const bit = (BigInt(parent) & mask) >> shift;
    const seen = show === 'True' ? 1n : show === 'False' ? 0n : BigInt(show);
    if (seen !== bit) problems.push(`${name} shows ${show}, ${f.parent} is ${parent}`);
  }
  return problems;
}

async function check(t: import('ava').ExecutionContext, cases: readonly Case[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vfio-user-wireshark-'));
  try {
    const byDialect = new Map<DialectName, Case[]>();
    for (const c of cases) {
      const list = byDialect.get(c.dialect) ?? [];
      list.push(c);
      byDialect.set(c.dialect, list);
    }
    let compared = 0;
    const all: string[] = [];
    for (let [dialect, list] of byDialect) {
      const file = join(dir, `${dialect}.pcapng`);
      const pcapng = toPcapng(list.map((c) => c.record));
      writeFileSync(file, pcapng);
      // What the file holds: a message above the snap length is cut there, as tshark sees it.
      const reader = new PcapngReader(pcapng.length);
      const back = reader.push(pcapng);
      t.is(back.length, list.length);
      list = list.map((c, i) => ({ ...c, record: back[i]! }));
      const packets = pdmlPackets(await runTshark(file, dialect));
      t.is(packets.length, list.length, `${dialect}: one packet per message`);
      list.forEach((c, i) => {
        for (const p of compare(c, packets[i] ?? [])) all.push(`${c.name}: ${p}`);
        compared++;
      });
    }
    t.deepEqual(all, []);
    t.is(compared, cases.length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (!haveTshark) {
  test.skip(`tshark agrees with decode on the example session (${why})`, () => undefined);
  test.skip(`tshark agrees with decode on every corpus seed (${why})`, () => undefined);
} else {
  test('tshark with the generated dissector agrees with decode --output json on every field of the example session', async (t) => {
    const cases = exampleRecords().map((record) => ({ name: `example seq ${record.seq}`, dialect: 'default' as DialectName, record }));
    t.true(cases.length > 80);
    await check(t, cases);
  });

  test('tshark with the generated dissector agrees with decode on every corpus seed, and refuses exactly what decode refuses', async (t) => {
    const files = generateCorpus();
    const manifest = JSON.parse(files.get('generated/corpus/manifest.json') as string) as { seeds: SeedEntry[] };
    const cases = manifest.seeds.map((s, i) => {
      const bytes = files.get(`generated/corpus/${s.file}`) as Uint8Array;
      return { name: s.file, dialect: s.dialect as DialectName, record: { seq: i + 1, dir: inferSide(bytes) === 'client' ? 'c2s' : 's2c', nfds: s.fds, conn: null, socket: null, bytes } as CaptureRecord };
    });
    t.true(cases.length >= 200);
    t.true(cases.some((c) => c.dialect !== 'default'), 'some seeds are of another dialect');
    await check(t, cases);
  });
}

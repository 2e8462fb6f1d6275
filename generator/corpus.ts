/**
 * Generates generated/corpus/: raw message bytes, one file per seed, for
 * libFuzzer/AFL-style fuzzers of any implementation, and manifest.json
 * saying what each seed shows.
 *
 * Seeds are every fixture of the catalogue, its invalid fixtures and its
 * edge cases (spec/fixtures/edge.ts: maximum sizes, zero counts, every flag
 * combination, error replies with every errno the references report, and
 * deliberately invalid messages, whose names carry `invalid`).
 *
 * Names: `NN-<command>-request[-case].bin`, `NN-<command>-reply[-case].bin`,
 * `NN-<command>-error[-case].bin`, NN the two-digit command number.
 */
import { commands } from '../spec/commands.js';
import { edgeCases, fixtures, invalidFixtures } from '../spec/fixtures/index.js';
import type { FixtureSpec } from '../spec/types.js';

/** One seed of the manifest. */
export interface SeedEntry {
  readonly file: string;
  readonly cmd: number;
  readonly command: string;
  readonly kind: 'request' | 'reply' | 'error';
  /** Whether a strict decoder accepts it (with `drafts` for draft seeds). */
  readonly valid: boolean;
  /** File descriptors that travel with the message. */
  readonly fds: number;
  readonly dialect: string;
  readonly drafts: boolean;
  readonly doc: string;
  /** The fixture it comes from, if any. */
  readonly fixture?: string;
  /**
   * Seeds too big to ship in the package: their length, and their bytes up
   * to the last non-zero one (hex); the rest are zeros.
   */
  readonly size?: number;
  readonly prefix?: string;
}

/** Seeds above this size are described in the manifest by `size` and `prefix`. */
export const SHIPPED_SEED_MAX = 65536;

const DIR = 'generated/corpus';

function shortName(cmd: number): string {
  const c = commands.find((x) => x.cmd === cmd);
  return c === undefined ? 'unknown' : c.name.replace(/^VFIO_USER_/, '').toLowerCase().replace(/_/g, '-');
}

/** The C name of a command number, or `UNKNOWN(n)`. */
function commandLabel(cmd: number): string {
  return commands.find((c) => c.cmd === cmd)?.name ?? `UNKNOWN(${cmd})`;
}

function fileName(cmd: number, kind: SeedEntry['kind'], caseName: string): string {
  const nn = String(cmd).padStart(2, '0');
  return `${nn}-${shortName(cmd)}-${kind}${caseName === '' ? '' : `-${caseName}`}.bin`;
}

/** The case part of a fixture's seed name: its name without the command's name and the kind word. */
function caseOf(f: FixtureSpec, cmd: number, kind: SeedEntry['kind']): string {
  const drop = new Set([...shortName(cmd).split('-'), kind, kind === 'request' ? 'command' : kind, 'vfio', 'user']);
  const words = f.name.split('-').filter((w) => !drop.has(w));
  return words.join('-');
}

function hexBytes(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function sizeAndPrefix(bytes: Uint8Array): { size: number; prefix: string } {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  if (end > SHIPPED_SEED_MAX) throw new Error(`corpus: a seed of ${bytes.length} bytes is not mostly zeros`);
  return { size: bytes.length, prefix: Buffer.from(bytes.subarray(0, end)).toString('hex') };
}

/** The corpus files and manifest.json, by path. */
export function generateCorpus(): Map<string, string | Uint8Array> {
  const files = new Map<string, string | Uint8Array>();
  const manifest: SeedEntry[] = [];
  const add = (entry: SeedEntry, bytes: Uint8Array): void => {
    if (files.has(`${DIR}/${entry.file}`)) throw new Error(`corpus: two seeds named ${entry.file}`);
    files.set(`${DIR}/${entry.file}`, bytes);
    manifest.push(bytes.length > SHIPPED_SEED_MAX ? { ...entry, ...sizeAndPrefix(bytes) } : entry);
  };
  for (const f of fixtures) {
    const cmd = f.message['cmd'] as number;
    const k = f.message['kind'] as string;
    const kind: SeedEntry['kind'] = k === 'command' ? 'request' : k === 'reply' ? 'reply' : 'error';
    const caseName = caseOf(f, cmd, kind);
    add(
      {
        file: fileName(cmd, kind, caseName),
        cmd,
        command: commandLabel(cmd),
        kind,
        valid: true,
        fds: f.fds,
        dialect: f.dialect ?? 'default',
        drafts: f.drafts === true,
        doc: f.doc,
        fixture: f.name,
      },
      hexBytes(f.bytes.map(([, h]) => h).join('')),
    );
  }
  for (const f of invalidFixtures) {
    const bytes = hexBytes(f.bytes.map(([, h]) => h).join(''));
    const cmd = bytes.length >= 4 ? bytes[2]! | (bytes[3]! << 8) : 0;
    const type = bytes.length >= 12 ? bytes[8]! & 0xf : 0;
    const kind: SeedEntry['kind'] = type === 0 ? 'request' : (bytes[8]! & 0x20) !== 0 ? 'error' : 'reply';
    add(
      {
        file: fileName(cmd, kind, `invalid-${f.name}`),
        cmd,
        command: commandLabel(cmd),
        kind,
        valid: false,
        fds: f.fds,
        dialect: f.dialect ?? 'default',
        drafts: false,
        doc: `${f.doc} Expected: ${f.error.code} at offset ${f.error.offset}.`,
        fixture: f.name,
      },
      bytes,
    );
  }
  for (const edge of edgeCases) {
    const head = hexBytes(edge.bytes.map(([, h]) => h).join(''));
    const bytes = new Uint8Array(head.length + (edge.zeros ?? 0));
    bytes.set(head);
    add(
      {
        file: fileName(edge.cmd, edge.kind, edge.name),
        cmd: edge.cmd,
        command: commandLabel(edge.cmd),
        kind: edge.kind,
        valid: edge.valid,
        fds: edge.fds ?? 0,
        dialect: 'default',
        drafts: false,
        doc: edge.doc,
      },
      bytes,
    );
  }
  manifest.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const doc = {
    $comment: 'Generated from spec/ by generator/corpus.ts (npm run generate). Do not edit.',
    description: 'vfio-user fuzz seeds: one whole message per file, header included. fds: file descriptors that travel with the message (SCM_RIGHTS). valid: whether a strict decoder accepts it (drafts: with the draft extension on). Invalid seeds carry "invalid" in their name. size, prefix: a seed the package does not ship (too big), given by its length and its bytes in hex up to the last non-zero one; the rest are zeros.',
    seeds: manifest,
  };
  files.set(`${DIR}/manifest.json`, `${JSON.stringify(doc, null, 2)}\n`);
  return files;
}

/**
 * The subcommands of `vfio-user`. Each takes its parsed options and an
 * output sink, and returns the exit status: 0 ok, 1 violations or failures.
 * Usage and input errors are thrown (UsageError, InputError) and end with 2.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { DEFAULT_DIALECT, dialects as dialectSpecs } from '../../spec/dialects.js';
import { commandName, encode } from '../codec.js';
import { Conversation, type Violation } from '../conversation.js';
import { VfioUserError } from '../errors.js';
import { generateCorpus } from '../generate/corpus.js';
import { layoutRows } from '../generate/layout.js';
import type { DialectName } from '../options.js';
import { captureLine, INPUT_FORMATS, jsonLines, NO_META, readCapture, toHex, type CaptureRecord, type Direction, type InputFormat } from './capture.js';
import { decodeRecord, dialectOf, inferSide, rawHeader, sideOf, type Decoded, type Dialects } from './decoded.js';
import { InputError, UsageError } from './errors.js';
import { exampleSession } from './example.js';
import { lookalikeClient } from './hint.js';
import { jsonForm, messageFromJson } from './json-form.js';
import { columnsFor, linePrefix, summaryLine, treeLines } from './text.js';

/** Where a subcommand writes its output. */
export interface Output {
  write(chunk: string | Uint8Array): void;
}

/** Parsed options: strings, booleans, or absent. */
export type Values = Readonly<Record<string, string | boolean | undefined>>;

const DIALECT_NAMES = dialectSpecs.map((d) => d.name);

function stringOption(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

function choice<T extends string>(values: Values, name: string, allowed: readonly T[], command: string): T | undefined {
  const v = stringOption(values, name);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}; got '${v}'`, command);
  return v as T;
}

/** The dialect of each side from --dialect, --client-dialect and --server-dialect. */
export function dialectsOf(values: Values, command: string): Dialects {
  const names = DIALECT_NAMES as DialectName[];
  const base = choice(values, 'dialect', names, command) ?? 'default';
  return {
    client: choice(values, 'client-dialect', names, command) ?? base,
    server: choice(values, 'server-dialect', names, command) ?? base,
    unknown: base,
  };
}

/** Reads FILE, or standard input for `-`. */
async function readInput(file: string): Promise<Uint8Array> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
  try {
    return readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}`);
  }
}

/** Writes a note to standard error. */
function note(text: string): void {
  process.stderr.write(`vfio-user: ${text}\n`);
}

/**
 * The capture named by the positional FILE; without one, standard input when
 * it is not a terminal and holds something; else the built-in example
 * session, which a note on standard error announces. A client that looks
 * like an implementation whose dialect was not given gets a note too.
 */
async function loadCapture(values: Values, positionals: readonly string[], command: string): Promise<CaptureRecord[]> {
  if (positionals.length > 1) throw new UsageError(`one FILE at most; got ${positionals.length}`, command);
  const format = choice<InputFormat>(values, 'input', INPUT_FORMATS, command);
  const dir = choice<Direction>(values, 'dir', ['c2s', 's2c'], command) ?? null;
  const file = positionals[0];
  let records: CaptureRecord[];
  const piped = file === undefined && process.stdin.isTTY !== true ? await readInput('-') : null;
  if (file === undefined && (piped === null || piped.length === 0)) {
    if (format !== undefined) throw new UsageError('--input needs a FILE or standard input', command);
    note(`no FILE and ${piped === null ? 'standard input is a terminal' : 'nothing on standard input'}: showing the built-in example session`);
    records = exampleSession().map((m) => ({ ...NO_META, seq: m.seq, dir: m.dir, nfds: m.nfds, bytes: m.bytes }));
  } else {
    records = readCapture(piped ?? (await readInput(file!)), format).records;
    const lookalike = values['client-dialect'] === undefined && values['dialect'] === undefined ? lookalikeClient(records) : null;
    if (lookalike !== null && lookalike !== DEFAULT_DIALECT) {
      note(`the client looks like ${lookalike} (its VERSION and capability keys), and no dialect was given: try --client-dialect ${lookalike}`);
    }
  }
  return dir === null ? records : records.map((r) => (r.dir === null ? { ...r, dir } : r));
}

function lines(out: Output, text: readonly string[]): void {
  if (text.length > 0) out.write(`${text.join('\n')}\n`);
}

// ---------------------------------------------------------------------------

/** `vfio-user decode`. */
export async function decodeCommand(values: Values, positionals: readonly string[], out: Output): Promise<number> {
  const output = choice(values, 'output', ['text', 'json'] as const, 'decode') ?? 'text';
  const dialects = dialectsOf(values, 'decode');
  const items = (await loadCapture(values, positionals, 'decode')).map((r) => decodeRecord(r, dialects, values['drafts'] === true));
  const text: string[] = [];
  if (output === 'json') {
    for (const d of items) text.push(JSON.stringify(jsonForm(d)));
  } else {
    const c = columnsFor(items);
    const pad = ' '.repeat(c.seq + 2);
    for (const d of items) {
      text.push(summaryLine(d, c));
      if (values['verbose'] === true) text.push(...treeLines(d, pad));
    }
  }
  lines(out, text);
  return items.some((d) => d.message === null) ? 1 : 0;
}

/** Why a message fails verification, or null when it comes back byte-identical. */
function verifyOne(d: Decoded): string | null {
  if (d.message === null) return `does not decode: ${d.error!.code} at offset ${d.error!.offset}: ${d.error!.message}`;
  let again: Uint8Array;
  try {
    again = encode(d.message, { dialect: d.dialect, drafts: d.drafts });
  } catch (e) {
    if (!(e instanceof VfioUserError)) throw e;
    return `does not encode: ${e.code}: ${e.message}`;
  }
  const want = d.record.bytes;
  if (again.length === want.length && again.every((b, i) => b === want[i])) return null;
  let i = 0;
  while (i < again.length && i < want.length && again[i] === want[i]) i++;
  const at = (b: Uint8Array): string => (i < b.length ? `0x${b[i]!.toString(16).padStart(2, '0')}` : 'end');
  return `re-encodes differently from byte ${i} (${at(again)}, captured ${at(want)}; ${again.length} bytes, captured ${want.length})`;
}

/** `vfio-user verify`. */
export async function verifyCommand(values: Values, positionals: readonly string[], out: Output): Promise<number> {
  const dialects = dialectsOf(values, 'verify');
  const items = (await loadCapture(values, positionals, 'verify')).map((r) => decodeRecord(r, dialects, values['drafts'] === true));
  const c = columnsFor(items);
  const text: string[] = [];
  let failed = 0;
  for (const d of items) {
    const why = verifyOne(d);
    if (why !== null) {
      failed++;
      text.push(`${linePrefix(d, c)}  FAIL  ${why}`);
    } else if (values['verbose'] === true) {
      text.push(`${linePrefix(d, c)}  ok`);
    }
  }
  text.push(`${items.length} messages, ${items.length - failed} ok, ${failed} failed`);
  lines(out, text);
  return failed === 0 ? 0 : 1;
}

/** One violation with the connection and message it belongs to. */
interface Found {
  readonly conn: number | string | null;
  readonly violation: Violation;
  readonly record: CaptureRecord | undefined;
}

/** `vfio-user check`. */
export async function checkCommand(values: Values, positionals: readonly string[], out: Output): Promise<number> {
  const output = choice(values, 'output', ['text', 'json'] as const, 'check') ?? 'text';
  const dialects = dialectsOf(values, 'check');
  const records = await loadCapture(values, positionals, 'check');
  // A capture that never names a sender is decoded with --dialect on both sides.
  const named = records.some((r) => r.dir !== null);
  const options = named ? { clientDialect: dialects.client, serverDialect: dialects.server } : { clientDialect: dialects.unknown, serverDialect: dialects.unknown };
  const conversations = new Map<string, Conversation>();
  const bySeq = new Map<string, CaptureRecord>();
  const found: Found[] = [];
  for (const r of records) {
    const key = r.conn === null ? '' : `${typeof r.conn}:${r.conn}`;
    let conv = conversations.get(key);
    if (conv === undefined) {
      conv = new Conversation(options);
      conversations.set(key, conv);
    }
    bySeq.set(`${key}/${r.seq}`, r);
    const from = r.dir === null ? inferSide(r.bytes) : sideOf(r.dir);
    const seen = conv.observe({ seq: r.seq, from, bytes: r.bytes, fds: r.nfds, socket: r.socket });
    for (const v of seen.violations) found.push({ conn: r.conn, violation: v, record: bySeq.get(`${key}/${v.seq}`) });
  }
  found.sort((a, b) => a.violation.seq - b.violation.seq);
  const text: string[] = [];
  if (output === 'json') {
    for (const f of found) {
      const v = f.violation;
      const o: Record<string, unknown> = { seq: v.seq };
      if (f.conn !== null) o['conn'] = f.conn;
      o['code'] = v.code;
      if (v.cmd !== undefined) {
        o['cmd'] = v.cmd;
        o['command'] = commandName(v.cmd);
      }
      if (v.msg_id !== undefined) o['msg_id'] = v.msg_id;
      o['message'] = v.message;
      if (v.interop !== undefined) o['interop'] = v.interop;
      text.push(JSON.stringify(o));
    }
    lines(out, text);
    return found.length === 0 ? 0 : 1;
  }
  if (values['verbose'] === true) {
    const items = records.map((r) => decodeRecord(r, dialects, true));
    const c = columnsFor(items);
    for (const d of items) text.push(summaryLine(d, c));
    text.push('');
  }
  const seqWidth = Math.max(4, ...found.map((f) => String(f.violation.seq).length));
  const codeWidth = Math.max(0, ...found.map((f) => f.violation.code.length));
  for (const f of found) {
    const v = f.violation;
    const where: string[] = [];
    if (f.conn !== null) where.push(`#${f.conn}`);
    if (f.record?.dir !== null && f.record?.dir !== undefined) where.push(f.record.dir);
    if (f.record?.socket === 'twin') where.push('twin');
    const header = f.record === undefined ? null : rawHeader(f.record.bytes);
    const msgId = v.msg_id ?? header?.msg_id;
    const cmd = v.cmd ?? header?.cmd;
    if (msgId !== undefined) where.push(`id=${msgId}`);
    if (cmd !== undefined) where.push(commandName(cmd));
    text.push(`${String(v.seq).padStart(seqWidth)}  ${v.code.padEnd(codeWidth)}  ${where.join(' ')}: ${v.message}`);
  }
  for (const [key, conv] of conversations) {
    const n = conv.outstanding;
    if (n > 0) text.push(`note: ${n} command${n === 1 ? '' : 's'}${key === '' ? '' : ` of connection ${key.slice(key.indexOf(':') + 1)}`} still await${n === 1 ? 's' : ''} a reply`);
  }
  text.push(`${records.length} messages, ${found.length} violation${found.length === 1 ? '' : 's'}`);
  lines(out, text);
  return found.length === 0 ? 0 : 1;
}

/** `vfio-user encode`. */
export async function encodeCommand(values: Values, positionals: readonly string[], out: Output): Promise<number> {
  if (positionals.length > 1) throw new UsageError(`one FILE at most; got ${positionals.length}`, 'encode');
  const output = choice(values, 'output', ['hex', 'raw', 'jsonl'] as const, 'encode') ?? 'hex';
  const dialects = dialectsOf(values, 'encode');
  const text = new TextDecoder().decode(await readInput(positionals[0] ?? '-'));
  const encoded: string[] = [];
  const raw: Uint8Array[] = [];
  let n = 0;
  for (const { value, where } of jsonLines(text)) {
    const m = messageFromJson(value, where, (dir) => dialectOf(dialects, dir));
    let bytes: Uint8Array;
    if (m.message === null) {
      bytes = m.bytes!;
    } else {
      try {
        bytes = encode(m.message, { dialect: dialectOf(dialects, m.dir), drafts: values['drafts'] === true });
      } catch (e) {
        if (!(e instanceof VfioUserError)) throw e;
        throw new InputError(`${where}: ${e.code}: ${e.message}`);
      }
    }
    n++;
    if (output === 'raw') raw.push(bytes);
    else if (output === 'hex') encoded.push(toHex(bytes));
    else encoded.push(captureLine({ ...m, seq: m.seq ?? n, bytes }));
  }
  if (output === 'raw') out.write(Buffer.concat(raw));
  else lines(out, encoded);
  return 0;
}

/** `vfio-user layout`. */
export function layoutCommand(values: Values, positionals: readonly string[], out: Output): number {
  if (positionals.length > 0) throw new UsageError(`layout takes no FILE; got '${positionals[0]!}'`, 'layout');
  const format = choice(values, 'format', ['tsv', 'json'] as const, 'layout') ?? 'tsv';
  const rows = layoutRows();
  if (format === 'json') {
    out.write(`${JSON.stringify(rows, null, 2)}\n`);
  } else {
    lines(out, ['struct\tfield\toffset\tsize', ...rows.map((r) => `${r.struct}\t${r.field}\t${r.offset}\t${r.size}`)]);
  }
  return 0;
}

const CORPUS_PREFIX = 'generated/corpus/';

/** `vfio-user corpus DIR`. */
export function corpusCommand(_values: Values, positionals: readonly string[], out: Output): number {
  const dir = positionals[0];
  if (dir === undefined) throw new UsageError('corpus needs a DIR', 'corpus');
  if (positionals.length > 1) throw new UsageError(`one DIR only; got ${positionals.length}`, 'corpus');
  let count = 0;
  for (const [path, content] of generateCorpus()) {
    const rel = normalize(path.startsWith(CORPUS_PREFIX) ? path.slice(CORPUS_PREFIX.length) : path);
    if (isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`)) throw new Error(`corpus path ${path} leaves the corpus`);
    const full = join(dir, rel);
    try {
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    } catch (e) {
      throw new InputError(`cannot write ${full}: ${(e as Error).message}`);
    }
    count++;
  }
  out.write(`wrote ${count} file${count === 1 ? '' : 's'} to ${dir}\n`);
  return 0;
}

/**
 * The subcommands of `vfio-user`. Each takes its parsed options and an
 * output sink, and returns the exit status: 0 ok, 1 violations or failures.
 * Usage and input errors are thrown (UsageError, InputError) and end with 2.
 */
import { createReadStream, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { DEFAULT_DIALECT, dialects as dialectSpecs } from '../spec.js';
import { commandName, encode, encodingLength } from '../codec.js';
import { Conversation, type Violation } from '../conversation.js';
import { VfioUserError, VfioUserLimitError } from '../errors.js';
import { DEFAULT_LIMITS } from '../options.js';
import { layoutRows } from '../layout.js';
import type { DialectName } from '../options.js';
import { captureLine, DEFAULT_MAX_LINE_BYTES, followFile, INPUT_FORMATS, jsonLine, NO_META, readCaptureStream, readLines, toHex, type CaptureRecord, type Direction, type InputFormat } from './capture.js';
import { decodeRecord, dialectOf, inferSide, rawHeader, sideOf, type Decoded, type Dialects } from './decoded.js';
import { InputError, UsageError } from './errors.js';
import { exampleSession } from './example.js';
import { clientVersion, lookalikeClient } from './hint.js';
import { jsonForm, messageFromJson } from './json-form.js';
import { columnsFor, linePrefix, summaryLine, treeLines, type Columns } from './text.js';
import { Clock, colourLine, keep, parseCommands, Stats, useColour, type Filter } from './view.js';
import { pcapngHeader, pcapngPacket } from '../capture/pcapng.js';

function widest(a: Columns, b: Columns): Columns {
  return { seq: Math.max(a.seq, b.seq), conn: Math.max(a.conn, b.conn), dir: a.dir || b.dir, socket: a.socket || b.socket, id: Math.max(a.id, b.id), name: Math.max(a.name, b.name) };
}

/** Where a subcommand writes its output. */
export interface Output {
  write(chunk: string | Uint8Array): void;
  /** Whether the output is a terminal (colours, refusing binary output). */
  readonly isTTY?: boolean;
  /** The environment (NO_COLOR). */
  readonly env?: NodeJS.ProcessEnv;
  /** Where notes go. Default: the process's standard error. */
  readonly stderr?: { write(text: string): unknown };
  /** What `-`, and no FILE, read. Default: the process's standard input. */
  readonly stdin?: AsyncIterable<Uint8Array> & { readonly isTTY?: boolean };
}

function stdinOf(out: Output): AsyncIterable<Uint8Array> & { readonly isTTY?: boolean } {
  return out.stdin ?? process.stdin;
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

/** Writes a note to standard error. */
function note(out: Output, text: string): void {
  (out.stderr ?? process.stderr).write(`vfio-user: ${text}\n`);
}

function errnoWords(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
}

/** The chunks of FILE (standard input for `-`), following its growth with `follow`; a missing file is an InputError. */
async function* inputChunks(file: string, follow: boolean, out: Output): AsyncGenerator<Uint8Array> {
  if (file === '-') {
    for await (const chunk of stdinOf(out)) yield chunk;
    return;
  }
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  } catch (e) {
    throw new InputError(`cannot read ${file}: ${errnoWords(e)}`);
  }
  if (follow) {
    yield* followFile(file);
    return;
  }
  const stream = createReadStream(file, { highWaterMark: 64 * 1024 });
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (e) {
    throw new InputError(`cannot read ${file}: ${errnoWords(e)}`);
  }
}

/** Standard input's chunks when it is not a terminal and holds something; else null. */
async function pipedChunks(out: Output): Promise<AsyncIterable<Uint8Array> | null> {
  if (stdinOf(out).isTTY === true) return null;
  const it = inputChunks('-', false, out)[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done === true) return null;
  return (async function* () {
    yield first.value;
    for (let r = await it.next(); r.done !== true; r = await it.next()) yield r.value;
  })();
}

/** How many records are looked at for the client's VERSION before a dialect hint is given up. */
const HINT_WINDOW = 16;

/** The records unchanged, with a note when the client looks like an implementation of another dialect. */
async function* hinted(records: AsyncIterable<CaptureRecord>, out: Output): AsyncGenerator<CaptureRecord> {
  const head: CaptureRecord[] = [];
  let decided = false;
  const decide = (): void => {
    decided = true;
    const lookalike = lookalikeClient(head);
    if (lookalike !== null && lookalike !== DEFAULT_DIALECT) {
      note(out, `the client looks like ${lookalike} (its VERSION and capability keys), and no dialect was given: try --client-dialect ${lookalike}`);
    }
  };
  for await (const r of records) {
    if (decided) {
      yield r;
      continue;
    }
    head.push(r);
    if (head.length >= HINT_WINDOW || clientVersion(head) !== null) {
      decide();
      yield* head;
    }
  }
  if (!decided) {
    decide();
    yield* head;
  }
}

/**
 * The capture named by the positional FILE as a stream of records; without
 * one, standard input when it is not a terminal and holds something; else the
 * built-in example session, which a note on standard error announces. A
 * client that looks like an implementation whose dialect was not given gets a
 * note too. Memory stays bounded by the longest line (--max-line-bytes).
 */
export async function* captureRecords(values: Values, positionals: readonly string[], command: string, out: Output): AsyncGenerator<CaptureRecord> {
  if (positionals.length > 1) throw new UsageError(`one FILE at most; got ${positionals.length}`, command);
  const format = choice<InputFormat>(values, 'input', INPUT_FORMATS, command);
  const dir = choice<Direction>(values, 'dir', ['c2s', 's2c'], command) ?? null;
  const maxLineBytes = integerOption(values, 'max-line-bytes', command) ?? DEFAULT_MAX_LINE_BYTES;
  const file = positionals[0];
  const follow = values['follow'] === true;
  if (file === undefined && follow) throw new UsageError('--follow needs a FILE', command);
  const source = file !== undefined ? inputChunks(file, follow, out) : await pipedChunks(out);
  let records: AsyncIterable<CaptureRecord> | Iterable<CaptureRecord>;
  if (source === null) {
    if (format !== undefined) throw new UsageError('--input needs a FILE or standard input', command);
    note(out, `no FILE and ${stdinOf(out).isTTY === true ? 'standard input is a terminal' : 'nothing on standard input'}: showing the built-in example session`);
    records = exampleSession();
  } else {
    records = readCaptureStream(source, format === undefined ? { maxLineBytes } : { format, maxLineBytes });
    if (values['client-dialect'] === undefined && values['dialect'] === undefined) records = hinted(records, out);
  }
  for await (const r of records) yield dir === null || r.dir !== null ? r : { ...r, dir };
}

/** A positive integer option. */
function integerOption(values: Values, name: string, command: string): number | undefined {
  const v = stringOption(values, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0) throw new UsageError(`--${name} must be a positive integer; got '${v}'`, command);
  return n;
}

function lines(out: Output, text: readonly string[]): void {
  if (text.length > 0) out.write(`${text.join('\n')}\n`);
}

// ---------------------------------------------------------------------------

/** Resolves on the next turn of the event loop: a stream that has nothing ready by then is idle. */
const IDLE = Symbol('idle');
const nextTurn = (): Promise<typeof IDLE> => new Promise((resolve) => setImmediate(() => resolve(IDLE)));

/** How many decoded lines decode holds before it writes them (their columns are aligned together). */
const WINDOW = 1000;

/** `vfio-user decode`. */
export async function decodeCommand(values: Values, positionals: readonly string[], out: Output): Promise<number> {
  const output = choice(values, 'output', ['text', 'json', 'pcapng'] as const, 'decode') ?? 'text';
  const dialects = dialectsOf(values, 'decode');
  const cmdList = stringOption(values, 'cmd');
  const connList = stringOption(values, 'conn');
  const filter: Filter = {
    cmds: cmdList === undefined ? null : parseCommands(cmdList, 'decode'),
    conns: connList === undefined ? null : new Set(connList.split(',').map((c) => c.trim())),
    errors: values['errors'] === true,
  };
  const colour = useColour(stringOption(values, 'color'), out.isTTY === true, out.env ?? {}, 'decode');
  const stats = values['stats'] === true ? new Stats() : null;
  const full = values['full'] === true;
  const clock = new Clock();
  const drafts = values['drafts'] === true;
  let failed = false;
  let window: Decoded[] = [];
  let columns: Columns | null = null;
  let timed = false;
  const flush = (): void => {
    if (window.length === 0) return;
    const text: string[] = [];
    if (output === 'json') {
      for (const d of window) text.push(JSON.stringify(jsonForm(d)));
    } else if (output === 'pcapng') {
      out.write(Buffer.concat(window.map((d) => pcapngPacket(d.record))));
    } else {
      const c = columnsFor(window);
      columns = columns === null ? c : widest(columns, c);
      timed ||= window.some((d) => d.record.time !== undefined && d.record.time !== null);
      const pad = ' '.repeat(columns.seq + 2 + (timed ? 13 : 0));
      for (const d of window) {
        text.push(colourLine(`${timed ? `${clock.column(d.record.time)} ` : ''}${summaryLine(d, columns)}`, d, colour));
        if (values['verbose'] === true) text.push(...treeLines(d, pad, full));
      }
    }
    lines(out, text);
    window = [];
  };
  if (output === 'pcapng') out.write(pcapngHeader());
  const it = captureRecords(values, positionals, 'decode', out)[Symbol.asyncIterator]();
  let pending = it.next();
  for (;;) {
    let r = await Promise.race([pending, nextTurn()]);
    if (r === IDLE) {
      flush();
      r = await pending;
    }
    if (r.done === true) break;
    pending = it.next();
    const d = decodeRecord(r.value, dialects, drafts);
    if (d.message === null) failed = true;
    if (!keep(d, filter)) continue;
    if (stats !== null) {
      stats.add(d);
      continue;
    }
    window.push(d);
    if (window.length >= WINDOW) flush();
  }
  flush();
  if (stats !== null) lines(out, stats.lines());
  return failed ? 1 : 0;
}

/** `vfio-user pcap [FILE] [--write OUT]`: a capture as pcapng, for Wireshark with generated/wireshark/vfio-user.lua. */
export async function pcapCommand(values: Values, positionals: readonly string[], out: Output): Promise<number> {
  const target = stringOption(values, 'write');
  if (target === undefined && out.isTTY === true) throw new UsageError('pcapng is binary: give --write FILE or redirect standard output', 'pcap');
  const chunks: Uint8Array[] = [pcapngHeader()];
  let n = 0;
  const sink = target === undefined ? out : null;
  if (sink !== null) sink.write(chunks.pop()!);
  for await (const r of captureRecords(values, positionals, 'pcap', out)) {
    const p = pcapngPacket(r);
    n++;
    if (sink !== null) sink.write(p);
    else chunks.push(p);
  }
  if (target !== undefined) {
    try {
      writeFileSync(target, Buffer.concat(chunks));
    } catch (e) {
      throw new InputError(`cannot write ${target}: ${errnoWords(e)}`);
    }
    out.write(`wrote ${n} message${n === 1 ? '' : 's'} to ${target}\n`);
  }
  return 0;
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
  const drafts = values['drafts'] === true;
  const verbose = values['verbose'] === true;
  // Read as a stream: only what is printed is kept (the failures, and with --verbose every message).
  const kept: { readonly d: Decoded; readonly why: string | null }[] = [];
  let count = 0;
  let failed = 0;
  for await (const r of captureRecords(values, positionals, 'verify', out)) {
    count++;
    const d = decodeRecord(r, dialects, drafts);
    const why = verifyOne(d);
    if (why !== null) failed++;
    if (why !== null || verbose) kept.push({ d, why });
  }
  const c = columnsFor(kept.map((k) => k.d));
  const text = kept.map(({ d, why }) => `${linePrefix(d, c)}  ${why === null ? 'ok' : `FAIL  ${why}`}`);
  text.push(`${count} messages, ${count - failed} ok, ${failed} failed`);
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
  const verbose = values['verbose'] === true;
  // Read as a stream: of each message only what a violation report names (its header, connection, direction and
  // socket) is kept, and with --verbose its decoded form for the listing.
  const items: Decoded[] = [];
  let count = 0;
  let options: { clientDialect: DialectName; serverDialect: DialectName } | null = null;
  const conversations = new Map<string, Conversation>();
  const bySeq = new Map<string, CaptureRecord>();
  const found: Found[] = [];
  for await (const r of captureRecords(values, positionals, 'check', out)) {
    count++;
    // A capture whose first message names no sender is decoded with --dialect on both sides.
    options ??= r.dir !== null ? { clientDialect: dialects.client, serverDialect: dialects.server } : { clientDialect: dialects.unknown, serverDialect: dialects.unknown };
    if (verbose) items.push(decodeRecord(r, dialects, true));
    const key = r.conn === null ? '' : `${typeof r.conn}:${r.conn}`;
    let conv = conversations.get(key);
    if (conv === undefined) {
      conv = new Conversation(options);
      conversations.set(key, conv);
    }
    bySeq.set(`${key}/${r.seq}`, { ...r, bytes: r.bytes.slice(0, 16) });
    const from = r.dir === null ? inferSide(r.bytes) : sideOf(r.dir);
    const seen = conv.observe({ seq: r.seq, from, bytes: r.bytes, fds: r.nfds, socket: r.socket });
    for (const v of seen.violations) found.push({ conn: r.conn, violation: v, record: bySeq.get(`${key}/${v.seq}`) });
  }
  for (const [key, conv] of conversations) {
    for (const v of conv.unanswered()) {
      const record = bySeq.get(`${key}/${v.seq}`);
      found.push({ conn: record?.conn ?? null, violation: v, record });
    }
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
  if (verbose) {
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
  text.push(`${count} messages, ${found.length} violation${found.length === 1 ? '' : 's'}`);
  lines(out, text);
  return found.length === 0 ? 0 : 1;
}

/** `vfio-user encode`. */
export async function encodeCommand(values: Values, positionals: readonly string[], out: Output): Promise<number> {
  if (positionals.length > 1) throw new UsageError(`one FILE at most; got ${positionals.length}`, 'encode');
  const output = choice(values, 'output', ['hex', 'raw', 'jsonl'] as const, 'encode') ?? 'hex';
  const dialects = dialectsOf(values, 'encode');
  const maxLineBytes = integerOption(values, 'max-line-bytes', 'encode') ?? DEFAULT_MAX_LINE_BYTES;
  const maxMessageSize = values['allow-large'] === true ? Infinity : DEFAULT_LIMITS.maxMessageSize;
  let n = 0;
  for await (const [text, line] of readLines(inputChunks(positionals[0] ?? '-', false, out), maxLineBytes)) {
    const j = jsonLine(text, line);
    if (j === null) continue;
    const { value, where } = j;
    const m = messageFromJson(value, where, (dir) => dialectOf(dialects, dir));
    let bytes: Uint8Array;
    if (m.message === null) {
      bytes = m.bytes!;
    } else {
      let size: number;
      try {
        size = encodingLength(m.message, { dialect: dialectOf(dialects, m.dir), drafts: values['drafts'] === true });
        if (size > maxMessageSize) {
          throw new VfioUserLimitError('ERR_MESSAGE_TOO_LARGE', `${where}: the message is ${size} bytes, above maxMessageSize ${maxMessageSize} (--allow-large writes it anyway)`, 4, { limitName: 'maxMessageSize', limit: maxMessageSize, value: size });
        }
        bytes = encode(m.message, { dialect: dialectOf(dialects, m.dir), drafts: values['drafts'] === true });
      } catch (e) {
        if (!(e instanceof VfioUserError)) throw e;
        if (e.code === 'ERR_MESSAGE_TOO_LARGE') throw e;
        throw new InputError(`${where}: ${e.code}: ${e.message}`);
      }
    }
    n++;
    if (output === 'raw') out.write(bytes);
    else if (output === 'hex') out.write(`${toHex(bytes)}\n`);
    else out.write(`${captureLine({ ...m, seq: m.seq ?? n, bytes })}\n`);
  }
  return 0;
}

/** `vfio-user layout`. */
export function layoutCommand(values: Values, positionals: readonly string[], out: Output): number {
  if (positionals.length > 0) throw new UsageError(`layout takes no FILE; got '${positionals[0]!}'`, 'layout');
  // --output, as every other command names it; --format kept for scripts that use it.
  const format = choice(values, 'output', ['tsv', 'json'] as const, 'layout') ?? choice(values, 'format', ['tsv', 'json'] as const, 'layout') ?? 'tsv';
  const rows = layoutRows;
  if (format === 'json') {
    out.write(`${JSON.stringify(rows, null, 2)}\n`);
  } else {
    lines(out, ['struct\tfield\toffset\tsize', ...rows.map((r) => `${r.struct}\t${r.field}\t${r.offset}\t${r.size}`)]);
  }
  return 0;
}

/** The package's generated/corpus/ (this file is dist/src/cli/commands.js). */
const CORPUS_DIR = new URL('../../../generated/corpus/', import.meta.url);

/** A seed of generated/corpus/manifest.json; `size` and `prefix` stand for a seed the package does not ship. */
interface ManifestSeed {
  readonly file: string;
  readonly size?: number;
  readonly prefix?: string;
}

/** The bytes of one seed: its file, or, for a seed not shipped, its prefix then zeros. */
function seedBytes(seed: ManifestSeed): Uint8Array {
  if (seed.size === undefined || seed.prefix === undefined) return readFileSync(new URL(seed.file, CORPUS_DIR));
  const bytes = new Uint8Array(seed.size);
  bytes.set(Buffer.from(seed.prefix, 'hex'));
  return bytes;
}

/** `vfio-user corpus DIR`: writes the seeds of generated/corpus/ and its manifest to DIR. */
export function corpusCommand(_values: Values, positionals: readonly string[], out: Output): number {
  const dir = positionals[0];
  if (dir === undefined) throw new UsageError('corpus needs a DIR', 'corpus');
  if (positionals.length > 1) throw new UsageError(`one DIR only; got ${positionals.length}`, 'corpus');
  const manifestText = readFileSync(new URL('manifest.json', CORPUS_DIR), 'utf8');
  const seeds = (JSON.parse(manifestText) as { seeds: readonly ManifestSeed[] }).seeds;
  const files: [string, Uint8Array | string][] = [...seeds.map((s): [string, Uint8Array] => [s.file, seedBytes(s)]), ['manifest.json', manifestText]];
  let count = 0;
  for (const [path, content] of files) {
    const rel = normalize(path);
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

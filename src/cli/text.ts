/**
 * The text form of a decoded capture: one aligned line per message, like a
 * dissector, and with `-v` every field as a tree. Flags and enumerations are
 * shown by the names of spec/constants.ts (through CONST_SETS), chosen by
 * the `flags` or `enum` set the spec gives the field.
 */
import { errnoNames, constSets } from '../spec.js';
import type { FieldSpec } from '../spec.js';
import { CONST_SETS } from '../../generated/ts/constants.js';
import { commandName, FLAG_NO_REPLY, FLAG_TYPE_MASK, FLAG_TYPE_REPLY, FLAG_ERROR } from '../codec.js';
import type { Decoded } from './decoded.js';
import { bodyShape, structShape, unionMember, type Shape } from './shape.js';

// ---------------------------------------------------------------------------
// Names of constants

const shortCache = new Map<string, readonly (readonly [string, number])[]>();
/** Sets shown with their full C names. */
const FULL_NAMES = new Set(['vfio_user_command']);

/**
 * The values of a constant set with the words every name shares cut off
 * (`VFIO_USER_F_DMA_REGION_READ` → `READ`, `VFIO_PCI_MSIX_IRQ_INDEX` → `MSIX`).
 */
function shortValues(set: string): readonly (readonly [string, number])[] {
  const hit = shortCache.get(set);
  if (hit !== undefined) return hit;
  const values = CONST_SETS[set]?.values ?? [];
  if (FULL_NAMES.has(set)) {
    shortCache.set(set, values);
    return values;
  }
  const words = values.map(([name]) => name.split('_'));
  const min = Math.min(...words.map((w) => w.length));
  const first = words[0] ?? [];
  let p = 0;
  while (p < min - 1 && words.every((w) => w[p] === first[p])) p++;
  let s = 0;
  while (p + s < min - 1 && words.every((w) => w[w.length - 1 - s] === first[first.length - 1 - s])) s++;
  const out = values.map(([name, value], i) => [words[i]!.slice(p, words[i]!.length - s).join('_') || name, value] as const);
  shortCache.set(set, out);
  return out;
}

function isBit(x: number): boolean {
  return x > 0 && (x & (x - 1)) === 0;
}

/** `READ|WRITE`; bits no name covers in hex; `0` when no bit is set. */
export function flagNames(set: string, value: number | bigint): string {
  const x = BigInt(value);
  const parts: string[] = [];
  let known = 0n;
  for (const [name, v] of shortValues(set)) {
    if (!isBit(v)) continue;
    known |= BigInt(v);
    if ((x & BigInt(v)) !== 0n) parts.push(name);
  }
  // A multi-bit mask whose value names a member of an enumeration (the DEVICE_FEATURE index).
  for (const c of constSets.find((s) => s.name === set)?.values ?? []) {
    if (c.holds === undefined) continue;
    known |= BigInt(c.value);
    const masked = Number(x & BigInt(c.value));
    if (masked !== 0) parts.push(enumName(c.holds, masked) ?? `0x${masked.toString(16)}`);
  }
  const rest = x & ~known;
  if (rest !== 0n) parts.push(`0x${rest.toString(16)}`);
  if (parts.length > 0) return parts.join('|');
  // No bit set: the name of the zero value, if the set has one (VFIO_USER_F_TYPE_COMMAND).
  return shortValues(set).find(([, v]) => v === 0)?.[0] ?? '0';
}

/** The short name of `value` in an enumeration, or undefined. */
export function enumName(set: string, value: number | bigint): string | undefined {
  const x = Number(value);
  return shortValues(set).find(([, v]) => v === x)?.[0];
}

/** `EINVAL (22)`. */
export function errnoText(n: number): string {
  const name = errnoNames[n];
  return name === undefined ? `errno ${n}` : `${name} (${n})`;
}

// ---------------------------------------------------------------------------
// Scalars

/** u64 fields shown in decimal: they count things rather than address them. */
const DECIMAL_U64 = new Set(['count', 'wr_cnt']);

function scalarShort(f: FieldSpec, value: unknown): string {
  if (typeof value !== 'number' && typeof value !== 'bigint') return String(value);
  if (f.enum !== undefined) return enumName(f.enum, value) ?? String(value);
  if (f.flags !== undefined) return flagNames(f.flags, value);
  if (f.type === 'u64' && !DECIMAL_U64.has(f.name)) return `0x${value.toString(16)}`;
  // Large 32-bit values are patterns or ids (0xdeadbeef, -1 as u32) rather than quantities.
  if (f.type !== 's32' && value >= 0x10000) return `0x${value.toString(16)}`;
  return String(value);
}

function scalarLong(f: FieldSpec, value: unknown): string {
  if (typeof value !== 'number' && typeof value !== 'bigint') return String(value);
  if (f.enum !== undefined) {
    const name = enumName(f.enum, value);
    return name === undefined ? String(value) : `${value} (${name})`;
  }
  if (f.flags !== undefined) {
    const names = flagNames(f.flags, value);
    return names === '0' ? '0x0' : `0x${value.toString(16)} (${names})`;
  }
  if (f.type === 'u64') return DECIMAL_U64.has(f.name) ? String(value) : `0x${value.toString(16)} (${value})`;
  return String(value);
}

/**
 * Fields the one-line summary leaves out: plain argsz (a size the reader can
 * infer), flags of 0, reserved words, and in a command the fields only the
 * reply fills.
 */
function hiddenInSummary(f: FieldSpec, value: unknown, kind: 'command' | 'reply'): boolean {
  if (f.name === 'argsz' && (f.dir ?? 'in') === 'in') return true;
  if (f.name === 'flags' && (value === 0 || value === 0n)) return true;
  if (f.name === 'reserved' || f.name === '__reserved' || f.name === 'padding') return true;
  return kind === 'command' && f.dir === 'out';
}

// ---------------------------------------------------------------------------
// The one-line summary

function bytesShort(b: Uint8Array): string {
  if (b.length <= 8) return Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex');
  return `<${b.length} bytes>`;
}

/** The text of a capabilities object, compact: `{max_msg_fds:16,migration:{pgsize:4096}}`. */
function compactJson(x: unknown): string {
  if (typeof x === 'bigint') return x.toString();
  if (Array.isArray(x)) return `[${x.map(compactJson).join(',')}]`;
  if (typeof x === 'object' && x !== null) {
    const parts: string[] = [];
    for (const k of Object.keys(x)) {
      const v = (x as Record<string, unknown>)[k];
      // The parsed VERSION JSON keeps unknown keys under `extra`: show them in place.
      if (k === 'extra' && typeof v === 'object' && v !== null) {
        for (const ek of Object.keys(v)) parts.push(`${ek}:${compactJson((v as Record<string, unknown>)[ek])}`);
      } else {
        parts.push(`${k}:${compactJson(v)}`);
      }
    }
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(x) ?? String(x);
}

function isPair(s: Shape): boolean {
  if (s.t !== 'object' || s.fields.size !== 2) return false;
  return [...s.fields.values()].every((f) => f.t === 'scalar' && f.field.type === 'u64');
}

function arrayShort(v: readonly unknown[], of: Shape, kind: 'command' | 'reply'): string {
  if (isPair(of)) {
    return `[${v
      .map((e) => {
        const [a, b] = Object.values(e as object) as bigint[];
        return `0x${a!.toString(16)}+0x${b!.toString(16)}`;
      })
      .join(',')}]`;
  }
  if (of.t === 'tagged') {
    return `[${v
      .map((e) => {
        const k = String((e as { kind?: unknown }).kind);
        const c = of.cases.get(k);
        const inner = c === undefined ? [] : joined(objectParts(e, c, kind, true), ',');
        return inner === '' ? k : `${k}(${inner})`;
      })
      .join(',')}]`;
  }
  return `(${v.length} ${v.length === 1 ? 'entry' : 'entries'})`;
}

type Part = readonly [key: string, text: string];

function joined(parts: readonly Part[], sep: string): string {
  return parts.map(([k, t]) => (k === '' ? t : `${k}=${t}`)).join(sep);
}

/** `[key, text]` parts of an object's fields, in the value's key order. */
function objectParts(value: unknown, shape: Shape, kind: 'command' | 'reply', nested: boolean): Part[] {
  if (shape.t !== 'object' || typeof value !== 'object' || value === null) return [];
  const parts: Part[] = [];
  const add = (key: string, text: string): void => void parts.push([key, text]);
  const o = value as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    const s = shape.fields.get(key);
    const v = o[key];
    if (s === undefined || v === null || v === undefined) continue;
    switch (s.t) {
      case 'scalar':
        if (!hiddenInSummary(s.field, v, kind)) add(key, scalarShort(s.field, v));
        break;
      case 'bytes':
        // The VERSION JSON text is shown parsed, as caps=.
        if (shape.fields.get('json')?.t === 'opaque' && key === 'data') break;
        if ((v as Uint8Array).length > 0) add(key, bytesShort(v as Uint8Array));
        break;
      case 'opaque': {
        const json = v as { capabilities?: unknown };
        if (json.capabilities !== undefined) add('caps', compactJson(json.capabilities));
        else add('json', compactJson(v));
        break;
      }
      case 'object':
        if (nested && key === 'header') break;
        add(key, `{${joined(objectParts(v, s, kind, true), ',')}}`);
        break;
      case 'tagged': {
        // A tagged payload (DEVICE_FEATURE data) is shown in line; a key it
        // shares with the outer struct is prefixed with the payload's name.
        const c = s.cases.get(String((v as { kind?: unknown }).kind));
        if (c === undefined) break;
        for (const [k, t] of objectParts(v, c, kind, true)) add(parts.some(([p]) => p === k) ? `${key}.${k}` : k, t);
        break;
      }
      case 'array':
        if ((v as unknown[]).length > 0) add(key, arrayShort(v as unknown[], s.of, kind));
        break;
      case 'union':
      case 'empty':
        break;
    }
  }
  return parts;
}

/** The type word of a message: command, reply or error; from the header when it did not decode. */
function kindWord(d: Decoded): string {
  if (d.message !== null) return d.message.kind === 'raw' ? ((d.message.flags & FLAG_TYPE_MASK) === 0 ? 'command' : 'reply') : d.message.kind;
  if (d.header === null) return '?';
  const type = d.header.flags & FLAG_TYPE_MASK;
  if (type === 0) return 'command';
  if (type === FLAG_TYPE_REPLY) return (d.header.flags & FLAG_ERROR) !== 0 ? 'error' : 'reply';
  return '?';
}

/** What follows the type word on a message's line. */
export function summaryFields(d: Decoded): string {
  const parts: string[] = [];
  const m = d.message;
  if (m === null) {
    const e = d.error!;
    parts.push(`!! ${e.code} at offset ${e.offset}: ${e.message}`);
  } else {
    if ((m.flags & FLAG_NO_REPLY) !== 0) parts.push('NO_REPLY');
    if (m.kind === 'error') {
      parts.push(errnoText(m.error_no));
      if (m.body.length > 0) parts.push(`body=${bytesShort(m.body)}`);
    } else if (m.kind === 'raw') {
      parts.push(`body=${bytesShort(m.body)}`);
    } else {
      const shape = bodyShape(m.cmd, m.kind, d.dialect);
      if (shape !== undefined) parts.push(...objectParts(m.body, shape, m.kind, false).map(([k, t]) => `${k}=${t}`));
    }
  }
  if (d.record.nfds !== null && d.record.nfds > 0) parts.push(`fds=${d.record.nfds}`);
  return parts.join(' ');
}

/** Column widths shared by every line of one listing. */
export interface Columns {
  readonly seq: number;
  readonly conn: number;
  readonly dir: boolean;
  /** Some message names its socket: a column of `twin` marks. */
  readonly socket: boolean;
  readonly id: number;
  readonly name: number;
}

/** The widths that align the lines of `items`. */
export function columnsFor(items: readonly Decoded[]): Columns {
  let seq = 4;
  let conn = 0;
  let dir = false;
  let socket = false;
  let id = 1;
  let name = 0;
  for (const d of items) {
    seq = Math.max(seq, String(d.record.seq).length);
    if (d.record.conn !== null) conn = Math.max(conn, String(d.record.conn).length + 1);
    if (d.record.dir !== null) dir = true;
    if (d.record.socket === 'twin') socket = true;
    id = Math.max(id, d.header === null ? 1 : String(d.header.msg_id).length);
    name = Math.max(name, d.header === null ? 1 : commandName(d.header.cmd).length);
  }
  return { seq, conn, dir, socket, id, name };
}

/** The start of a line: seq, connection, direction, `twin` for the twin socket, msg_id and command name, padded to `c`. */
export function linePrefix(d: Decoded, c: Columns): string {
  const r = d.record;
  let s = String(r.seq).padStart(c.seq);
  if (c.conn > 0) s += ` ${(r.conn === null ? '' : `#${r.conn}`).padEnd(c.conn)}`;
  if (c.dir) s += ` ${r.dir ?? '   '}`;
  if (c.socket) s += r.socket === 'twin' ? ' twin' : '     ';
  s += `  id=${(d.header === null ? '?' : String(d.header.msg_id)).padEnd(c.id)}`;
  s += `  ${(d.header === null ? '?' : commandName(d.header.cmd)).padEnd(c.name)}`;
  return s;
}

/** One message as one line. */
export function summaryLine(d: Decoded, c: Columns): string {
  return `${linePrefix(d, c)}  ${kindWord(d).padEnd(7)}  ${summaryFields(d)}`.trimEnd();
}

// ---------------------------------------------------------------------------
// The tree (-v)

const INDENT = '  ';

function printable(b: Uint8Array): boolean {
  if (b.length < 8) return false;
  for (const x of b) if (!((x >= 0x20 && x < 0x7f) || x === 0x0a || x === 0x0d || x === 0x09)) return false;
  return true;
}

/** Rows of a hexdump shown unless the tree was asked for in full (`--full`). */
export const HEXDUMP_ROWS = 4;
/** The output arrays of trees asked for in full. */
const FULL = new WeakSet<string[]>();

/** Offset, 16 bytes in hex, then the same bytes as ASCII (`.` for the others); HEXDUMP_ROWS rows unless in full. */
function hexdump(b: Uint8Array, pad: string, out: string[]): void {
  const end = FULL.has(out) ? b.length : Math.min(b.length, HEXDUMP_ROWS * 16);
  for (let i = 0; i < end; i += 16) {
    const bytes = [...b.subarray(i, i + 16)];
    const row = bytes.map((x) => x.toString(16).padStart(2, '0')).join(' ');
    const ascii = bytes.map((x) => (x >= 0x20 && x < 0x7f ? String.fromCharCode(x) : '.')).join('');
    out.push(`${pad}${i.toString(16).padStart(4, '0')}  ${row.padEnd(47)}  |${ascii}|`);
  }
  if (end < b.length) out.push(`${pad}... ${b.length - end} more bytes (--full shows them)`);
}

function bytesTree(key: string, b: Uint8Array, pad: string, out: string[]): void {
  if (b.length === 0) out.push(`${pad}${key}: (0 bytes)`);
  else if (printable(b)) out.push(`${pad}${key}: '${Buffer.from(b).toString('latin1')}' (${b.length} bytes)`);
  else if (b.length <= 16) out.push(`${pad}${key}: ${[...b].map((x) => x.toString(16).padStart(2, '0')).join(' ')} (${b.length} bytes)`);
  else {
    out.push(`${pad}${key}: ${b.length} bytes`);
    hexdump(b, pad + INDENT, out);
  }
}

function valueTree(key: string, value: unknown, shape: Shape | undefined, pad: string, out: string[]): void {
  if (value === null || value === undefined) {
    out.push(`${pad}${key}: none`);
    return;
  }
  if (shape === undefined) {
    out.push(`${pad}${key}: ${typeof value === 'object' ? compactJson(value) : String(value)}`);
    return;
  }
  switch (shape.t) {
    case 'scalar':
      out.push(`${pad}${key}: ${scalarLong(shape.field, value)}`);
      return;
    case 'bytes':
      bytesTree(key, value as Uint8Array, pad, out);
      return;
    case 'opaque':
    case 'empty':
      return;
    case 'object':
      out.push(`${pad}${key}: ${shape.name}`);
      fieldsTree(value, shape, pad + INDENT, out);
      return;
    case 'tagged': {
      const kind = String((value as { kind?: unknown }).kind);
      const c = shape.cases.get(kind);
      out.push(`${pad}${key}: ${kind}${c !== undefined && c.t === 'object' ? ` (${c.name})` : ''}`);
      if (c !== undefined) fieldsTree(value, c, pad + INDENT, out);
      return;
    }
    case 'union': {
      const m = unionMember(shape, value as object);
      valueTree(key, value, m, pad, out);
      return;
    }
    case 'array': {
      const a = value as unknown[];
      out.push(`${pad}${key}: ${a.length} ${a.length === 1 ? 'entry' : 'entries'}`);
      a.forEach((e, i) => valueTree(`[${i}]`, e, shape.of, pad + INDENT, out));
      return;
    }
  }
}

function fieldsTree(value: unknown, shape: Shape, pad: string, out: string[]): void {
  if (shape.t !== 'object' || typeof value !== 'object' || value === null) return;
  for (const key of Object.keys(value)) {
    if (key === 'kind') continue;
    valueTree(key, (value as Record<string, unknown>)[key], shape.fields.get(key), pad, out);
  }
}

/** Every field of a message, one per line, indented by `pad`. */
export function treeLines(d: Decoded, pad: string, full = false): string[] {
  const out: string[] = [];
  if (full) FULL.add(out);
  if (d.header !== null) valueTree('header', d.header, structShape('vfio_user_header'), pad, out);
  const m = d.message;
  if (m === null) {
    const e = d.error!;
    out.push(`${pad}error: ${e.code} at offset ${e.offset}: ${e.message}`);
    bytesTree('bytes', d.record.bytes, pad, out);
    return out;
  }
  if (m.kind === 'error') {
    out.push(`${pad}error_no: ${errnoText(m.error_no)}`);
    bytesTree('body', m.body, pad, out);
  } else if (m.kind === 'raw') {
    bytesTree('body', m.body, pad, out);
  } else {
    const shape = bodyShape(m.cmd, m.kind, d.dialect);
    if (m.body === null || shape === undefined || shape.t !== 'object') out.push(`${pad}body: none`);
    else valueTree('body', m.body, shape, pad, out);
  }
  if (d.record.nfds !== null) out.push(`${pad}fds: ${d.record.nfds}`);
  return out;
}

/**
 * Interoperability verdicts: what the receiver of a message does with it
 * when the sender writes one dialect and the receiver reads another. It
 * accepts it as meant, refuses it (with the errno it answers), or accepts it
 * and reads other values than the sender meant (a misread: silent
 * corruption).
 *
 * Everything here follows from spec/ alone: a dialect's layout of a message
 * (its override, else the command's body) says where it writes each field;
 * its read rules (spec/dialects.ts `reads`) say what it checks and where it
 * reads each field, and without one it reads its own layout, exactly. The
 * checker (src/conversation.ts) judges real messages with it, and the
 * generator writes the protocol document's Interoperability chapter with it,
 * so the two cannot disagree.
 */
import { capabilities, commands, constSets, dialects } from './spec.js';
import type { BodySpec, CheckSpec, DialectSpec, ErrnoName, InteropSampleSpec, ReadCheckSpec, ReadFieldSpec } from './spec.js';
import { structLayout } from './layout.js';
import { commandInfo } from './model/connection.js';
import type { Refusal } from './model/refusals.js';
import { VFIO_USER_F_TYPE_COMMAND, VFIO_USER_F_TYPE_REPLY, VFIO_USER_HEADER_OFFSET } from '../generated/ts/constants.js';

/** Size of the message header. */
const HEADER = structLayout('vfio_user_header').size;

/** Where a dialect writes (or reads) one field of a message body. */
export interface FieldPlace {
  readonly name: string;
  /** The field of the command's default body it stands for. */
  readonly means: string;
  readonly at: number;
  readonly type: 'u8' | 'u16' | 'u32' | 'u64' | 'data';
  /** For `data`: the `means` of its length field. */
  readonly length?: string;
  /** The flag set the field holds, when it is a flags field. */
  readonly flags?: string;
}

/** How one dialect reads one message: its checks in order, and the places it reads. */
export interface Reading {
  readonly dialect: string;
  readonly checks: readonly ReadCheckSpec[];
  readonly fields: readonly FieldPlace[];
  /** Whether it also demands the exact size its own layout gives (a strict reader, as this package is). */
  readonly exact: { readonly fixed: number; readonly data: string | null; readonly pad: number; readonly openEnd: boolean } | null;
  /** Checks on fields its own body spec declares (strict readers only). */
  readonly bodyChecks: readonly CheckSpec[];
  /** Where the rule comes from: an explicit read rule, or the dialect's own layout. */
  readonly source: 'rule' | 'layout';
}

/** A value read from a message: a number (u64 as bigint), bytes, or the names of the flag bits set. */
export type FieldValue = bigint | Uint8Array | readonly string[];

/** What a reader took from a message: each field by its `means`, with the message offset it read it at. */
export type ReadFields = ReadonlyMap<string, { readonly value: FieldValue; readonly at: number; readonly name: string }>;

/** One field a receiver reads otherwise than its sender meant. */
export interface Misread {
  /** The field (its `means`). */
  readonly field: string;
  readonly meant: string;
  readonly read: string;
  /** Message offset the receiver reads it from. */
  readonly readAt: number;
  /** Message offset the sender wrote it at. */
  readonly meantAt: number;
}

/** What the receiver does with a message. */
export type Verdict =
  | { readonly kind: 'accepted' }
  | { readonly kind: 'refused'; readonly errno: ErrnoName; readonly why: string }
  | { readonly kind: 'misread'; readonly fields: readonly Misread[] };

/** What a reader knows besides the message. */
export interface ReadContext {
  /** The receiver's max_data_xfer_size (default 1 MiB). */
  readonly maxDataXferSize?: number;
  /** For a reply: the fields of the request as its sender (the reply's receiver) meant them. */
  readonly request?: ReadFields | null;
  /** Number of fds that came with the message, when known. */
  readonly fds?: number | null;
}

/** max_data_xfer_size of a peer that does not advertise it (spec/capabilities.ts). */
const DEFAULT_MAX_DATA_XFER = Number(capabilities.keys?.find((k) => k.name === 'max_data_xfer_size')?.default ?? 0);

const dialectByName = new Map(dialects.map((d) => [d.name, d]));
const commandByCmd = new Map(commands.map((c) => [c.cmd, c]));

/** The dialect spec of that name; throws if there is none. */
export function dialectSpec(name: string): DialectSpec {
  const d = dialectByName.get(name);
  if (d === undefined) throw new Error(`spec: no dialect ${name}`);
  return d;
}

/** The body spec a dialect writes a message with: its override, else the command's own; null for an unknown command. */
export function bodyOf(dialect: string, cmd: number, message: 'request' | 'reply'): BodySpec | null {
  const o = dialectSpec(dialect).overrides.find((x) => x.cmd === cmd && x.message === message);
  if (o !== undefined) return o.body;
  const c = commandByCmd.get(cmd);
  if (c === undefined) return null;
  return message === 'request' ? c.request : c.reply;
}

/** Names of the bits set in `value`, as protocol constants; an unknown bit is written in hex. */
export function flagNames(dialect: string, cmd: number, field: string, set: string, value: number): string[] {
  const own = dialectSpec(dialect).flags?.find((f) => f.cmd === cmd && f.field === field);
  const bits: readonly { readonly value: number; readonly name: string }[] =
    own !== undefined ? own.values.map((v) => ({ value: v.value, name: v.means })) : (constSets.find((s) => s.name === set)?.values ?? []);
  const out: string[] = [];
  let rest = value >>> 0;
  for (const b of bits) {
    if ((rest & b.value) === b.value && b.value !== 0) {
      out.push(b.name);
      rest = (rest & ~b.value) >>> 0;
    }
  }
  if (rest !== 0) out.push(`0x${rest.toString(16)}`);
  return out.sort();
}

/** The bits a dialect writes for flag names (protocol constants). */
export function flagBits(dialect: string, cmd: number, field: string, set: string, names: readonly string[]): number {
  const own = dialectSpec(dialect).flags?.find((f) => f.cmd === cmd && f.field === field);
  const bits: readonly { readonly value: number; readonly name: string }[] =
    own !== undefined ? own.values.map((v) => ({ value: v.value, name: v.means })) : (constSets.find((s) => s.name === set)?.values ?? []);
  let value = 0;
  for (const n of names) {
    const b = bits.find((x) => x.name === n);
    if (b === undefined) throw new Error(`spec: dialect ${dialect} has no flag ${n} for command ${cmd}`);
    value |= b.value;
  }
  return value >>> 0;
}

/**
 * Where a dialect writes a message: its fields with their body offsets, the
 * data tail and the zero padding after it. Null when the body has a tail
 * this model does not follow (JSON, capability chains, ...): such messages
 * are judged by decoding instead. A DMA_UNMAP bitmap is modelled as absent.
 */
export function layoutOf(dialect: string, cmd: number, message: 'request' | 'reply'): Reading | null {
  const b = bodyOf(dialect, cmd, message);
  if (b === null) return null;
  if (b.kind === 'empty') return { dialect, checks: [], fields: [], exact: { fixed: 0, data: null, pad: 0, openEnd: false }, bodyChecks: [], source: 'layout' };
  const l = structLayout(b.struct);
  const fields: FieldPlace[] = [];
  for (const f of l.fields) {
    if (f.spec.type !== 'u8' && f.spec.type !== 'u16' && f.spec.type !== 'u32' && f.spec.type !== 'u64') return null;
    const own = dialectSpec(dialect).flags?.some((x) => x.cmd === cmd && x.field === f.name) === true;
    const flags = own ? f.spec.flags ?? f.name : f.spec.flags;
    fields.push({ name: f.name, means: f.spec.means ?? f.name, at: f.offset, type: f.spec.type, ...(flags === undefined ? {} : { flags }) });
  }
  let data: string | null = null;
  let openEnd = false;
  const t = b.tail;
  if (t !== undefined) {
    if (t.kind === 'bytes' && t.length !== 'rest' && 'field' in t.length && t.when === undefined && t.atLeast !== true) {
      const lengthField = t.length.field;
      const lf = l.fields.find((x) => x.name === lengthField);
      if (lf === undefined) return null;
      const lengthMeans = lf.spec.means ?? lf.name;
      fields.push({ name: t.name, means: t.name, at: l.fieldsEnd, type: 'data', length: lengthMeans });
      data = t.name;
    } else if (t.kind === 'optional') {
      openEnd = true;
    } else {
      return null;
    }
  }
  const pad = b.padded === true ? l.size - l.fieldsEnd : 0;
  return { dialect, checks: [], fields, exact: { fixed: l.fieldsEnd, data, pad, openEnd }, bodyChecks: b.checks ?? [], source: 'layout' };
}

/** How a dialect reads a message: its explicit read rule, else its own layout, exactly. */
export function readingOf(dialect: string, cmd: number, message: 'request' | 'reply'): Reading | null {
  const rule = dialectSpec(dialect).reads?.find((r) => r.cmd === cmd && r.message === message);
  if (rule === undefined) return layoutOf(dialect, cmd, message);
  const own = layoutOf(dialect, cmd, message);
  const fields = rule.fields.map((f: ReadFieldSpec): FieldPlace => {
    const flags = own?.fields.find((x) => x.means === f.means)?.flags;
    return { name: f.name, means: f.means, at: f.at, type: f.type, ...(f.length === undefined ? {} : { length: f.length }), ...(flags === undefined ? {} : { flags }) };
  });
  return { dialect, checks: rule.checks, fields, exact: null, bodyChecks: [], source: 'rule' };
}

function readScalar(bytes: Uint8Array, at: number, type: 'u8' | 'u16' | 'u32' | 'u64'): bigint | null {
  const size = type === 'u8' ? 1 : type === 'u16' ? 2 : type === 'u32' ? 4 : 8;
  if (at + size > bytes.length) return null;
  const v = new DataView(bytes.buffer, bytes.byteOffset + at, size);
  switch (type) {
    case 'u8':
      return BigInt(v.getUint8(0));
    case 'u16':
      return BigInt(v.getUint16(0, true));
    case 'u32':
      return BigInt(v.getUint32(0, true));
    case 'u64':
      return v.getBigUint64(0, true);
  }
}

function msgSize(bytes: Uint8Array): number {
  const end = VFIO_USER_HEADER_OFFSET.msg_size + 4;
  return bytes.length < end ? bytes.length : new DataView(bytes.buffer, bytes.byteOffset, end).getUint32(VFIO_USER_HEADER_OFFSET.msg_size, true);
}

/** The outcome of reading a message: what was read, or the refusal. */
export type ReadOutcome = { readonly refused: { readonly errno: ErrnoName; readonly why: string } } | { readonly fields: ReadFields };

function refuse(errno: ErrnoName, why: string): ReadOutcome {
  return { refused: { errno, why } };
}

/**
 * Reads a whole message (header included) the way `reading` says: its
 * checks in order (the first that fails is the answer), then each field.
 */
export function readMessage(bytes: Uint8Array, reading: Reading, cmd: number, ctx: ReadContext = {}): ReadOutcome {
  const size = Math.min(msgSize(bytes), bytes.length);
  const fields = new Map<string, { value: FieldValue; at: number; name: string }>();
  const scalar = (means: string): bigint | null => {
    const f = reading.fields.find((x) => x.means === means);
    if (f === undefined || f.type === 'data') return null;
    return readScalar(bytes.subarray(0, size), HEADER + f.at, f.type);
  };
  for (const c of reading.checks) {
    switch (c.kind) {
      case 'msg-size-min':
        if (size < c.size) return refuse(c.errno, `${c.why} (msg_size ${size})`);
        break;
      case 'at-most': {
        const v = scalar(c.field);
        const bound = c.bound === 'max_data_xfer_size' ? BigInt(ctx.maxDataXferSize ?? DEFAULT_MAX_DATA_XFER) : BigInt(size - (c.minus ?? 0));
        if (v === null || v > bound) return refuse(c.errno, `${c.why} (${c.field} ${v ?? 'absent'}, bound ${bound})`);
        break;
      }
      case 'echo':
        for (const name of c.fields) {
          const mine = scalar(name);
          const asked = ctx.request?.get(name)?.value;
          if (mine === null || typeof asked !== 'bigint' || mine !== asked) {
            return refuse(c.errno, `${c.why} (${name} ${mine === null ? 'absent' : `0x${mine.toString(16)}`}, asked ${typeof asked === 'bigint' ? `0x${asked.toString(16)}` : 'unknown'})`);
          }
        }
        break;
    }
  }
  if (reading.exact !== null) {
    const e = reading.exact;
    let want = BigInt(HEADER + e.fixed + e.pad);
    if (e.data !== null) {
      const f = reading.fields.find((x) => x.means === e.data);
      const n = f?.length === undefined ? null : scalar(f.length);
      if (n === null) return refuse('EINVAL', `the message ends before the ${reading.dialect} layout's fields (msg_size ${size})`);
      want += n;
    }
    if (e.openEnd ? BigInt(size) < want : BigInt(size) !== want) {
      return refuse('EINVAL', `msg_size ${size} is not the ${want} bytes the ${reading.dialect} layout gives`);
    }
  }
  for (const f of reading.fields) {
    if (f.type === 'data') {
      const n = f.length === undefined ? null : scalar(f.length);
      if (n === null || HEADER + f.at + Number(n) > size) return refuse('EINVAL', `${f.name} runs past msg_size ${size}`);
      fields.set(f.means, { value: bytes.subarray(HEADER + f.at, HEADER + f.at + Number(n)), at: HEADER + f.at, name: f.name });
      continue;
    }
    const v = readScalar(bytes.subarray(0, size), HEADER + f.at, f.type);
    if (v === null) continue;
    const value: FieldValue = f.flags === undefined ? v : flagNames(reading.dialect, cmd, f.name, f.flags, Number(v));
    fields.set(f.means, { value, at: HEADER + f.at, name: f.name });
  }
  for (const c of reading.bodyChecks) {
    const f = reading.fields.find((x) => x.name === ('field' in c ? c.field : ''));
    const v = f === undefined ? null : readScalar(bytes.subarray(0, size), HEADER + f.at, f.type === 'data' ? 'u32' : f.type);
    if (v === null) continue;
    if (c.kind === 'allowed' && !c.values.includes(Number(v))) return refuse('EINVAL', `${f!.name} 0x${v.toString(16)} is not one of ${c.values.join(', ')} for the ${reading.dialect} layout`);
    if (c.kind === 'limit' && c.limit === 'maxDataXferSize' && v > BigInt(ctx.maxDataXferSize ?? DEFAULT_MAX_DATA_XFER)) return refuse('E2BIG', `${f!.name} ${v} above max_data_xfer_size`);
  }
  return { fields };
}

function show(v: FieldValue): string {
  if (typeof v === 'bigint') return `0x${v.toString(16)}`;
  if (v instanceof Uint8Array) return Buffer.from(v.subarray(0, 16)).toString('hex') + (v.length > 16 ? '…' : '');
  return v.length === 0 ? '(none)' : v.join('|');
}

function same(a: FieldValue, b: FieldValue): boolean {
  if (typeof a === 'bigint' || typeof b === 'bigint') return a === b;
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((x, i) => x === b[i]);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return false;
}

/** Compares what the receiver read with what the sender meant: every field both name, by its `means`. */
export function compareFields(meant: ReadFields, read: ReadFields): Verdict {
  const out: Misread[] = [];
  for (const [means, r] of read) {
    const m = meant.get(means);
    if (m === undefined || same(m.value, r.value)) continue;
    out.push({ field: means, meant: show(m.value), read: show(r.value), readAt: r.at, meantAt: m.at });
  }
  return out.length === 0 ? { kind: 'accepted' } : { kind: 'misread', fields: out };
}

/**
 * The verdict on one message (header included) from a side writing
 * `from` to a side reading `to`; null when the model cannot follow the
 * message (the caller then decodes it with the receiver's dialect), or when
 * the message does not even follow its sender's own layout.
 */
export function judge(bytes: Uint8Array, from: string, to: string, cmd: number, message: 'request' | 'reply', ctx: ReadContext = {}): Verdict | null {
  if (message === 'request') {
    const serves = dialectSpec(to).serves;
    // A server's command (the command table's sender), to a client that serves only some.
    if (serves !== undefined && commandInfo(cmd)?.sender === 'server') {
      if (!serves.commands.includes(cmd)) return { kind: 'refused', errno: serves.unknownErrno, why: `${to} serves only ${serves.commands.map((c) => commandByCmd.get(c)?.name ?? c).join(' and ')}` };
      if ((ctx.fds ?? 0) > 0) return { kind: 'refused', errno: serves.fdsErrno, why: `${to} takes no fds with a server command` };
    }
  }
  const writer = layoutOf(from, cmd, message);
  const reader = readingOf(to, cmd, message);
  if (writer === null || reader === null) return null;
  const meant = readMessage(bytes, writer, cmd, { ...ctx, maxDataXferSize: Number.MAX_SAFE_INTEGER, request: ctx.request ?? null });
  if ('refused' in meant) return null;
  const got = readMessage(bytes, reader, cmd, ctx);
  if ('refused' in got) return { kind: 'refused', ...got.refused };
  return compareFields(meant.fields, got.fields);
}

/** Reads a message with its own sender's layout: the fields as meant. Null when the model cannot follow it. */
export function meantFields(bytes: Uint8Array, dialect: string, cmd: number, message: 'request' | 'reply'): ReadFields | null {
  const l = layoutOf(dialect, cmd, message);
  if (l === null) return null;
  const r = readMessage(bytes, l, cmd, { maxDataXferSize: Number.MAX_SAFE_INTEGER });
  return 'refused' in r ? null : r.fields;
}

/** Values of a sample message by field meaning: numbers, hex data, or flag names. */
export type SampleFields = Readonly<Record<string, number | bigint | string | readonly string[]>>;

/**
 * Writes a message the way `dialect` lays it out, from field values by
 * meaning (fields left out are 0; data given as hex). Used for the
 * Interoperability chapter's samples and by tests.
 */
export function writeSample(dialect: string, cmd: number, message: 'request' | 'reply', values: SampleFields, msgId = 1): Uint8Array {
  const l = layoutOf(dialect, cmd, message);
  if (l === null || l.exact === null) throw new Error(`spec: ${dialect} ${cmd} ${message} has no modelled layout`);
  const dataField = l.fields.find((f) => f.type === 'data');
  const dataHex = dataField === undefined ? '' : String(values[dataField.means] ?? '');
  const data = Uint8Array.from(Buffer.from(dataHex.replace(/\s+/g, ''), 'hex'));
  const size = HEADER + l.exact.fixed + data.length + l.exact.pad;
  const bytes = new Uint8Array(size);
  const v = new DataView(bytes.buffer);
  v.setUint16(0, msgId, true);
  v.setUint16(2, cmd, true);
  v.setUint32(4, size, true);
  v.setUint32(8, message === 'reply' ? VFIO_USER_F_TYPE_REPLY : VFIO_USER_F_TYPE_COMMAND, true);
  for (const f of l.fields) {
    if (f.type === 'data') {
      bytes.set(data, HEADER + f.at);
      continue;
    }
    const given = values[f.means];
    let x: bigint;
    if (Array.isArray(given)) x = BigInt(flagBits(dialect, cmd, f.name, f.flags ?? '', given));
    else if (f.means === dataField?.length) x = BigInt(data.length);
    else x = given === undefined ? 0n : BigInt(given as number | bigint);
    const at = HEADER + f.at;
    if (f.type === 'u8') v.setUint8(at, Number(x));
    else if (f.type === 'u16') v.setUint16(at, Number(x), true);
    else if (f.type === 'u32') v.setUint32(at, Number(x), true);
    else v.setBigUint64(at, x, true);
  }
  return bytes;
}

/** Describes a verdict in one line, as the checker and the document say it. */
export function describeVerdict(v: Verdict): string {
  switch (v.kind) {
    case 'accepted':
      return 'accepts it as meant';
    case 'refused':
      return `refuses it with ${v.errno}: ${v.why}`;
    case 'misread':
      return `accepts it and misreads ${v.fields
        .map((f) => (f.readAt !== f.meantAt ? `${f.field} (reads it from message byte ${f.readAt}; written at byte ${f.meantAt}: ${f.read} instead of ${f.meant})` : `${f.field} (${f.read} instead of ${f.meant})`))
        .join(', ')}`;
  }
}

export { checkServerRefusals, type Refusal } from './model/refusals.js';

function capabilityAt(json: unknown, path: string): unknown {
  let node: unknown = (json as { capabilities?: unknown } | null)?.capabilities;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/**
 * The receiver's checks of a server's VERSION reply (QEMU's client): null
 * when it takes the reply, else why it gives up on the server.
 */
export function checkVersionReply(reader: DialectSpec, body: { readonly minor: number; readonly json: unknown } | null): Refusal | null {
  const rule = reader.versionReply;
  if (rule === undefined || body === null) return null;
  if (body.minor > rule.maxMinor) return { errno: 'EINVAL', why: `${reader.name} takes minor version ${rule.maxMinor} at most, the reply says ${body.minor}` };
  if (rule.jsonRequired && body.json === null) return { errno: 'EINVAL', why: `${reader.name} requires the capabilities JSON in the VERSION reply` };
  for (const m of rule.maxima) {
    const x = capabilityAt(body.json, m.path);
    if (typeof x === 'number' && x > m.max) return { errno: 'EINVAL', why: `${reader.name} takes ${m.path} up to ${m.max}, the reply says ${x}` };
  }
  for (const m of rule.multiples) {
    const x = capabilityAt(body.json, m.path);
    if (typeof x === 'number' && x % m.of !== 0) return { errno: 'EINVAL', why: `${reader.name} takes ${m.path} only as a multiple of ${m.of}, the reply says ${x}` };
  }
  return null;
}

/** The receiver's largest accepted values in a reply (QEMU's GET_INFO counts): null when it takes the reply. */
export function checkReplyMaxima(reader: DialectSpec, cmd: number, body: unknown): Refusal | null {
  for (const m of reader.replyMaxima ?? []) {
    if (m.cmd !== cmd || typeof body !== 'object' || body === null) continue;
    const x = (body as Record<string, unknown>)[m.field];
    if (typeof x === 'number' && x > m.max) return { errno: m.errno, why: `${reader.name} takes ${m.field} up to ${m.max}, the reply says ${x}` };
  }
  return null;
}

/** One row of the Interoperability matrix: a sample message from one implementation to another, and the verdict. */
export interface InteropRow {
  readonly sender: string;
  readonly receiver: string;
  readonly cmd: number;
  readonly message: 'request' | 'reply';
  /** The sample's name (spec/dialects.ts `interopSamples`). */
  readonly sample: string;
  /** The message as the sender writes it. */
  readonly bytes: Uint8Array;
  /** For a reply: the request as the receiver wrote it. */
  readonly request: Uint8Array | null;
  readonly verdict: Verdict;
}

function differs(a: string, b: string, cmd: number, message: 'request' | 'reply'): boolean {
  const rule = (d: string): boolean => dialectSpec(d).reads?.some((r) => r.cmd === cmd && r.message === message) === true;
  return JSON.stringify(bodyOf(a, cmd, message)) !== JSON.stringify(bodyOf(b, cmd, message)) || rule(a) || rule(b);
}

/**
 * The Interoperability matrix: for every sample message, every pair of
 * implementations (a sender that plays the side writing it, a receiver that
 * plays the other) whose layouts or reading of the message differ, and
 * what the receiver does. Computed with {@link judge}, as the checker does.
 */
export function interopMatrix(samples: readonly InteropSampleSpec[]): InteropRow[] {
  const rows: InteropRow[] = [];
  const players = dialects.filter((d) => d.roles !== undefined);
  for (const s of samples) {
    const c = commandByCmd.get(s.cmd);
    if (c === undefined) throw new Error(`spec: interop sample for unknown command ${s.cmd}`);
    const writerSide = s.message === 'request' ? c.sender : c.sender === 'client' ? 'server' : 'client';
    const readerSide = writerSide === 'client' ? 'server' : 'client';
    for (const a of players) {
      if (!a.roles!.includes(writerSide)) continue;
      for (const b of players) {
        if (b === a || !b.roles!.includes(readerSide) || !differs(a.name, b.name, s.cmd, s.message)) continue;
        if (a.lacks?.commands.includes(s.cmd) === true || b.lacks?.commands.includes(s.cmd) === true) continue;
        const bytes = writeSample(a.name, s.cmd, s.message, s.values);
        const request = s.message === 'reply' && s.request !== undefined ? writeSample(b.name, s.cmd, 'request', s.request) : null;
        const ctx: ReadContext = { fds: 0, request: request === null ? null : meantFields(request, b.name, s.cmd, 'request') };
        const verdict = judge(bytes, a.name, b.name, s.cmd, s.message, ctx);
        if (verdict === null) throw new Error(`spec: interop sample ${s.cmd} ${s.message} "${s.name}" is not modelled for ${a.name} to ${b.name}`);
        rows.push({ sender: a.name, receiver: b.name, cmd: s.cmd, message: s.message, sample: s.name, bytes, request, verdict });
      }
    }
  }
  return rows;
}


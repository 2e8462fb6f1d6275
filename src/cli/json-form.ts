/**
 * The JSON form of a message, as `decode --output json` writes it and
 * `encode` reads it: one object per message with the header fields as
 * numbers (`cmd` with its `command` name beside it), the body under its C
 * field names, u64 values as decimal strings, byte strings as hex, and
 * `seq`, `conn`, `dir`, `nfds` and `socket` from the capture when known.
 *
 * A message that did not decode is written with `error` and its bytes as
 * `hex`; `encode` passes such a line through unchanged.
 */
import { COMMAND_NAMES } from '../../generated/ts/constants.js';
import type { Message } from '../../generated/ts/messages.js';
import { commandName, FLAG_ERROR, FLAG_TYPE_MASK, FLAG_TYPE_REPLY } from '../codec.js';
import type { DialectName } from '../options.js';
import { parseHex, readMeta, toHex, writeMeta, type CaptureMeta, type Direction } from './capture.js';
import type { Decoded } from './decoded.js';
import { InputError } from './errors.js';
import { VfioUserEncodeError, VfioUserInvalidError } from '../errors.js';
import { bodyShape, unionMember, type Shape } from './shape.js';

/** A decoded value as JSON: bigints as decimal strings, byte strings as hex. */
export function jsonValue(x: unknown): unknown {
  if (typeof x === 'bigint') return x.toString();
  if (x instanceof Uint8Array) return toHex(x);
  if (Array.isArray(x)) return x.map(jsonValue);
  if (typeof x === 'object' && x !== null) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(x)) {
      const v = (x as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = jsonValue(v);
    }
    return out;
  }
  return x;
}

/** The JSON form of one decoded capture message. */
export function jsonForm(d: Decoded): Record<string, unknown> {
  const r = d.record;
  const o: Record<string, unknown> = {};
  writeMeta(o, r);
  const m = d.message;
  if (m === null) {
    const e = d.error!;
    o['error'] = { code: e.code, offset: e.offset, message: e.message };
    if (d.header !== null) {
      o['cmd'] = d.header.cmd;
      o['command'] = commandName(d.header.cmd);
      o['msg_id'] = d.header.msg_id;
    }
    o['hex'] = toHex(r.bytes);
    return o;
  }
  o['kind'] = m.kind;
  o['cmd'] = m.cmd;
  o['command'] = commandName(m.cmd);
  o['msg_id'] = m.msg_id;
  o['msg_size'] = r.bytes.length;
  o['flags'] = m.flags;
  o['error_no'] = m.error_no;
  o['body'] = jsonValue(m.body);
  return o;
}

/** What {@link messageFromJson} reads from one line. */
export interface JsonMessage extends CaptureMeta {
  readonly seq: number | null;
  /** The message to encode, or null for a line that carries its bytes (`error` and `hex`). */
  readonly message: Message | null;
  /** The bytes of a line written for a message that did not decode. */
  readonly bytes: Uint8Array | null;
}

const commandByName = new Map(Object.entries(COMMAND_NAMES).map(([n, name]) => [name, Number(n)]));

function u16(x: unknown, what: string): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > 0xffff) throw new InputError(`${what} must be an integer from 0 to 65535`);
  return x;
}

function u32(x: unknown, what: string): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > 0xffffffff) throw new InputError(`${what} must be an integer from 0 to 4294967295`);
  return x;
}

/**
 * Reads one JSON-form message. `dialectOf` gives the layout of its sender
 * (from `dir`), which decides the type of a few fields.
 *
 * @throws InputError naming `where` when the line is not a message.
 */
export function messageFromJson(value: unknown, where: string, dialectOf: (dir: Direction | null) => DialectName): JsonMessage {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(`${where}: not a JSON object`);
  const o = value as Record<string, unknown>;
  const meta = readMeta(o, where);
  const dir = meta.dir;
  if (o['error'] !== undefined && o['kind'] === undefined) {
    if (typeof o['hex'] !== 'string') throw new InputError(`${where}: a line with "error" needs the message's "hex"`);
    return { ...meta, message: null, bytes: parseHex(o['hex'], `${where}: hex`) };
  }
  let cmd: number;
  if (o['cmd'] !== undefined) {
    cmd = u16(o['cmd'], `${where}: cmd`);
  } else if (typeof o['command'] === 'string') {
    const name = o['command'];
    const byName = commandByName.get(name) ?? commandByName.get(`VFIO_USER_${name.toUpperCase()}`);
    if (byName === undefined) throw new VfioUserInvalidError('ERR_UNKNOWN_COMMAND', `${where}: unknown command name "${name}"`, 2, { value: name });
    cmd = byName;
  } else {
    throw missing(where, 'cmd', '"cmd" (a number) or "command" (a command name)');
  }
  if (o['msg_id'] === undefined) throw missing(where, 'msg_id', '"msg_id"');
  const msg_id = u16(o['msg_id'], `${where}: msg_id`);
  // flags follow from kind when absent (command 0, reply 1, error 0x21), and kind from flags.
  const kindGiven = o['kind'];
  if (o['flags'] === undefined && typeof kindGiven !== 'string') throw missing(where, 'flags', '"flags" or "kind"');
  const flags = o['flags'] === undefined ? FLAGS_OF_KIND[kindGiven as string] ?? 0 : u32(o['flags'], `${where}: flags`);
  const error_no = o['error_no'] === undefined ? 0 : u32(o['error_no'], `${where}: error_no`);
  const kind: unknown = kindGiven ?? kindOfFlags(flags);
  const path = `${where}: body`;
  let body: unknown;
  switch (kind) {
    case 'error':
    case 'raw':
      body = o['body'] === undefined ? new Uint8Array(0) : bytesOf(o['body'], path);
      break;
    case 'command':
    case 'reply': {
      const shape = bodyShape(cmd, kind, dialectOf(dir));
      if (shape === undefined) throw new InputError(`${where}: unknown command ${cmd}; write it as kind "raw" with a hex body`);
      body = revive(o['body'] ?? null, shape, path);
      if (cmd === 1 && typeof body === 'object' && body !== null) (body as Record<string, unknown>)['json'] = null;
      break;
    }
    default:
      throw new InputError(`${where}: kind must be "command", "reply", "error" or "raw"`);
  }
  const message = { kind, cmd, msg_id, flags, error_no, body } as Message;
  return { ...meta, message, bytes: null };
}

const FLAGS_OF_KIND: Readonly<Record<string, number>> = { command: 0, reply: FLAG_TYPE_REPLY, error: FLAG_TYPE_REPLY | FLAG_ERROR, raw: 0 };

/** A message line without a field it needs: ERR_ENCODE_FIELD naming the field. */
function missing(where: string, field: string, what: string): VfioUserEncodeError {
  return new VfioUserEncodeError('ERR_ENCODE_FIELD', `${where}: missing field ${what}`, 0, { field });
}

function kindOfFlags(flags: number): 'command' | 'reply' | 'error' {
  if ((flags & FLAG_TYPE_MASK) !== FLAG_TYPE_REPLY) return 'command';
  return (flags & FLAG_ERROR) !== 0 ? 'error' : 'reply';
}

function bytesOf(x: unknown, path: string): Uint8Array {
  if (typeof x !== 'string') throw new InputError(`${path} must be a hex string`);
  return parseHex(x, path);
}

function toBigInt(x: unknown, path: string): bigint {
  if (typeof x === 'string' && /^(?:[0-9]+|0x[0-9a-fA-F]+)$/.test(x)) return BigInt(x);
  if (typeof x === 'number' && Number.isSafeInteger(x) && x >= 0) return BigInt(x);
  throw new InputError(`${path} must be a u64 as a decimal string`);
}

/** Turns a JSON value of `shape` back into the codec's value: bigints for u64, bytes for hex. */
function revive(x: unknown, shape: Shape, path: string): unknown {
  if (x === null) return null;
  switch (shape.t) {
    case 'scalar':
      if (shape.field.type === 'u64') return toBigInt(x, path);
      if (typeof x !== 'number') throw new InputError(`${path} must be a number`);
      return x;
    case 'bytes':
      return bytesOf(x, path);
    case 'object': {
      if (typeof x !== 'object' || Array.isArray(x)) throw new InputError(`${path} must be an object`);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(x)) {
        const s = shape.fields.get(k);
        out[k] = s === undefined ? v : revive(v, s, `${path}.${k}`);
      }
      for (const [k, s] of shape.fields) {
        if (s.t === 'scalar' && !(k in x)) throw new VfioUserEncodeError('ERR_ENCODE_FIELD', `${path}: missing field "${k}"`, 0, { field: k });
      }
      return out;
    }
    case 'array':
      if (!Array.isArray(x)) throw new InputError(`${path} must be an array`);
      return x.map((e, i) => revive(e, shape.of, `${path}[${i}]`));
    case 'union': {
      if (typeof x !== 'object' || Array.isArray(x)) throw new InputError(`${path} must be an object`);
      const m = unionMember(shape, x);
      return m === undefined ? x : revive(x, m, path);
    }
    case 'tagged': {
      if (typeof x !== 'object' || Array.isArray(x)) throw new InputError(`${path} must be an object`);
      const kind = (x as Record<string, unknown>)['kind'];
      const s = typeof kind === 'string' ? shape.cases.get(kind) : undefined;
      if (s === undefined) throw new InputError(`${path}.kind must be one of ${[...shape.cases.keys()].join(', ')}`);
      return revive(x, s, path);
    }
    case 'opaque':
    case 'empty':
      return x;
  }
}

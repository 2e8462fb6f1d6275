/**
 * Captures: the ways a recorded conversation reaches the command, and the
 * JSONL form it writes.
 *
 * - `jsonl`: one message per line, an object with `hex` (the whole message,
 *   header included) and optionally `dir` (`c2s` or `s2c`), `nfds` (fds that
 *   travelled with it), `conn` (connection), `socket` (`main`, or `twin` for
 *   the twin socket of server-to-client commands) and `seq`; other keys are
 *   ignored.
 * - `raw`: messages back to back, as read from one direction of a socket.
 * - `hex`: the same bytes as hex text; whitespace and `#` comments are ignored.
 */
import { HEADER_SIZE } from '../codec.js';
import type { SocketName } from '../conversation.js';
import { InputError } from './errors.js';

/** Who sent a message: the client (`c2s`) or the server (`s2c`). */
export type Direction = 'c2s' | 's2c';

/** What a capture may say about a message besides its bytes; null where it does not say. */
export interface CaptureMeta {
  /** Who sent it. */
  readonly dir: Direction | null;
  /** File descriptors that travelled with it. */
  readonly nfds: number | null;
  /** Its connection. */
  readonly conn: number | string | null;
  /** The socket of its connection it travelled on. */
  readonly socket: SocketName | null;
}

/** A capture format. */
export type InputFormat = 'jsonl' | 'raw' | 'hex';

/** The capture formats, in the order the help lists them. */
export const INPUT_FORMATS: readonly InputFormat[] = ['jsonl', 'raw', 'hex'];

/** One message of a capture, before decoding. */
export interface CaptureRecord extends CaptureMeta {
  /** The line's `seq`, or the message's position in the capture counted from 1. */
  readonly seq: number;
  /** The whole message, header included (for a stream cut short, the bytes that remain). */
  readonly bytes: Uint8Array;
}

/** A capture that says nothing about a message but its bytes. */
export const NO_META: CaptureMeta = Object.freeze({ dir: null, nfds: null, conn: null, socket: null });

const HEX_DIGITS = /^[0-9a-fA-F]*$/;

/** Bytes from hex text; whitespace between digits is allowed. Throws InputError naming `what`. */
export function parseHex(text: string, what: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  if (!HEX_DIGITS.test(clean)) throw new InputError(`${what}: not hex`);
  if (clean.length % 2 !== 0) throw new InputError(`${what}: odd number of hex digits`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Lower-case hex of `bytes`, no separators. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}

function isHexDigit(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
}

/**
 * Guesses the format of a capture: `jsonl` when the first non-blank byte is
 * `{` (or the input is blank), `hex` when every byte outside `#` comments is
 * a hex digit or whitespace, `raw` otherwise.
 */
export function guessFormat(content: Uint8Array): InputFormat {
  let i = 0;
  while (i < content.length && isSpace(content[i]!)) i++;
  if (i === content.length || content[i] === 0x7b) return 'jsonl';
  let comment = false;
  for (const b of content) {
    if (comment) {
      if (b === 0x0a) comment = false;
    } else if (b === 0x23) {
      comment = true;
    } else if (!isSpace(b) && !isHexDigit(b)) {
      return 'raw';
    }
  }
  return 'hex';
}

/** Reads a capture in `format` (guessed when undefined). */
export function readCapture(content: Uint8Array, format: InputFormat | undefined): { format: InputFormat; records: CaptureRecord[] } {
  const f = format ?? guessFormat(content);
  switch (f) {
    case 'jsonl':
      return { format: f, records: parseJsonl(new TextDecoder().decode(content)) };
    case 'hex': {
      const text = new TextDecoder().decode(content).replace(/#[^\n]*/g, '');
      return { format: f, records: frameStream(parseHex(text, 'hex input')) };
    }
    case 'raw':
      return { format: f, records: frameStream(content) };
  }
}

/** The JSON value of every non-blank line, with `line N` for messages; a line that is not JSON is an InputError. */
export function* jsonLines(text: string): Generator<{ readonly value: unknown; readonly where: string }> {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const where = `line ${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new InputError(`${where}: not JSON (${(e as Error).message})`);
    }
    yield { value, where };
  }
}

function parseJsonl(text: string): CaptureRecord[] {
  const records: CaptureRecord[] = [];
  for (const { value, where } of jsonLines(text)) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(`${where}: not a JSON object`);
    const o = value as Record<string, unknown>;
    if (typeof o['hex'] !== 'string') throw new InputError(`${where}: no "hex" string`);
    const { seq, ...meta } = readMeta(o, where);
    records.push({ seq: seq ?? records.length + 1, ...meta, bytes: parseHex(o['hex'], `${where}: hex`) });
  }
  return records;
}

/** The `seq`, `dir`, `nfds`, `conn` and `socket` keys of a JSONL line. @throws InputError naming `where` for a wrong one. */
export function readMeta(o: Readonly<Record<string, unknown>>, where: string): CaptureMeta & { readonly seq: number | null } {
  return {
    seq: optionalInteger(o['seq'], `${where}: seq`),
    dir: optionalDirection(o['dir'], `${where}: dir`),
    nfds: optionalInteger(o['nfds'], `${where}: nfds`),
    conn: optionalConn(o['conn'], `${where}: conn`),
    socket: optionalSocket(o['socket'], `${where}: socket`),
  };
}

/** Writes `seq`, then `conn`, `dir`, `nfds` and `socket` where known, into `o` (in that order). */
export function writeMeta(o: Record<string, unknown>, r: CaptureMeta & { readonly seq: number }): void {
  o['seq'] = r.seq;
  if (r.conn !== null) o['conn'] = r.conn;
  if (r.dir !== null) o['dir'] = r.dir;
  if (r.nfds !== null) o['nfds'] = r.nfds;
  if (r.socket !== null) o['socket'] = r.socket;
}

/** A non-negative integer, or null when absent. */
function optionalInteger(x: unknown, what: string): number | null {
  if (x === undefined || x === null) return null;
  if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0) throw new InputError(`${what} must be a non-negative integer`);
  return x;
}

/** `c2s` or `s2c`, or null when absent. */
function optionalDirection(x: unknown, what: string): Direction | null {
  if (x === undefined || x === null) return null;
  if (x !== 'c2s' && x !== 's2c') throw new InputError(`${what} must be "c2s" or "s2c"`);
  return x;
}

/** A connection number or name, or null when absent. */
function optionalConn(x: unknown, what: string): number | string | null {
  if (x === undefined || x === null) return null;
  if (typeof x === 'string' || (typeof x === 'number' && Number.isSafeInteger(x))) return x;
  throw new InputError(`${what} must be an integer or a string`);
}

/** `main` or `twin`, or null when absent. */
function optionalSocket(x: unknown, what: string): SocketName | null {
  if (x === undefined || x === null) return null;
  if (x !== 'main' && x !== 'twin') throw new InputError(`${what} must be "main" or "twin"`);
  return x;
}

/**
 * Cuts a byte stream into messages by msg_size. A msg_size below the header
 * size, or a message cut short by the end of the stream, ends the framing:
 * the remaining bytes become one last record, which fails to decode with the
 * codec's own error.
 */
export function frameStream(bytes: Uint8Array): CaptureRecord[] {
  const records: CaptureRecord[] = [];
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let o = 0;
  while (o < bytes.length) {
    const rest = bytes.length - o;
    const size = rest >= HEADER_SIZE ? v.getUint32(o + 4, true) : 0;
    const take = size >= HEADER_SIZE && size <= rest ? size : rest;
    records.push({ seq: records.length + 1, ...NO_META, bytes: bytes.subarray(o, o + take) });
    o += take;
  }
  return records;
}

/** One JSONL capture line: `seq`, then `conn`, `dir`, `nfds` and `socket` when known, then `hex`. */
export function captureLine(r: CaptureRecord): string {
  const o: Record<string, unknown> = {};
  writeMeta(o, r);
  o['hex'] = toHex(r.bytes);
  return JSON.stringify(o);
}

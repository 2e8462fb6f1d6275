/**
 * Captures: recorded vfio-user conversations, read and written.
 *
 * - `jsonl`: one message per line, an object with `hex` (the whole message,
 *   header included) and optionally `time` (seconds since the Unix epoch, to
 *   the microsecond), `dir` (`c2s` or `s2c`), `nfds` (fds that travelled
 *   with it), `conn` (connection), `socket` (`main`, or `twin` for the twin
 *   socket of server-to-client commands) and `seq`; other keys are ignored.
 * - `raw`: messages back to back, as read from one direction of a socket.
 * - `hex`: the same bytes as hex text; whitespace and `#` comments are ignored.
 * - `pcapng`: see ./pcapng.ts.
 *
 * Every reader here throws {@link VfioUserCaptureError} (`ERR_CAPTURE_FORMAT`,
 * `ERR_CAPTURE_LINE_LENGTH`) for input it cannot read.
 */
import { HEADER_SIZE } from '../codec.js';
import type { SocketName } from '../conversation.js';
import { VfioUserCaptureError } from '../errors.js';

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
  /** When it was seen: seconds since the Unix epoch (microsecond precision). Absent (undefined) or null when unknown. */
  readonly time?: number | null;
}

/** A capture format. */
export type InputFormat = 'jsonl' | 'raw' | 'hex' | 'pcapng';

/** The capture formats, in the order the help lists them. */
export const INPUT_FORMATS: readonly InputFormat[] = ['jsonl', 'raw', 'hex', 'pcapng'];

/** One message of a capture, before decoding. */
export interface CaptureRecord extends CaptureMeta {
  /** The line's `seq`, or the message's position in the capture counted from 1. */
  readonly seq: number;
  /** The whole message, header included (for a stream cut short, the bytes that remain). */
  readonly bytes: Uint8Array;
}

/** A capture that says nothing about a message but its bytes. */
export const NO_META: CaptureMeta = Object.freeze({ dir: null, nfds: null, conn: null, socket: null });

/**
 * Default of `maxLineBytes`: the longest capture line (or pcapng block) a
 * reader holds, 4 MiB. A JSONL line of the largest message the codec accepts
 * (maxMessageSize, 1 MiB + 32 bytes) is about 2 MiB of hex.
 */
export const DEFAULT_MAX_LINE_BYTES = 4 * 1024 * 1024;

function formatError(message: string): never {
  throw new VfioUserCaptureError('ERR_CAPTURE_FORMAT', message, 0);
}

const HEX_DIGITS = /^[0-9a-fA-F]*$/;

/** Bytes from hex text; whitespace between digits is allowed. @throws VfioUserCaptureError (`ERR_CAPTURE_FORMAT`) naming `what`. */
export function parseHex(text: string, what: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  if (!HEX_DIGITS.test(clean)) formatError(`${what}: not hex`);
  if (clean.length % 2 !== 0) formatError(`${what}: odd number of hex digits`);
  return Buffer.from(clean, 'hex');
}

/** Lower-case hex of `bytes`, no separators. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}

function isHexDigit(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
}

/** The first four bytes of every pcapng file (a Section Header Block). */
const PCAPNG_MAGIC = [0x0a, 0x0d, 0x0d, 0x0a] as const;

/**
 * Guesses the format of a capture from its first bytes: `pcapng` for a
 * Section Header Block, `jsonl` when the first non-blank byte is `{` (or the
 * input is blank), `hex` when every byte outside `#` comments is a hex digit
 * or whitespace, `raw` otherwise.
 */
export function guessFormat(content: Uint8Array): InputFormat {
  if (content.length >= 4 && PCAPNG_MAGIC.every((b, i) => content[i] === b)) return 'pcapng';
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

/** The JSON value of every non-blank line, with `line N` for messages; a line that is not JSON is `ERR_CAPTURE_FORMAT`. */
export function* jsonLines(text: string): Generator<{ readonly value: unknown; readonly where: string }> {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const r = jsonLine(lines[i]!, i + 1);
    if (r !== null) yield r;
  }
}

/** The JSON value of line number `n`, or null for a blank line. */
export function jsonLine(text: string, n: number): { readonly value: unknown; readonly where: string } | null {
  const line = text.trim();
  if (line === '') return null;
  const where = `line ${n}`;
  try {
    return { value: JSON.parse(line) as unknown, where };
  } catch (e) {
    return formatError(`${where}: not JSON (${(e as Error).message})`);
  }
}

/** One JSONL capture line as a record; `index` is its position, used when the line has no `seq`. */
export function recordFromJson(value: unknown, where: string, index: number): CaptureRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) formatError(`${where}: not a JSON object`);
  const o = value as Record<string, unknown>;
  if (typeof o['hex'] !== 'string') formatError(`${where}: no "hex" string`);
  const { seq, ...meta } = readMeta(o, where);
  return { seq: seq ?? index, ...meta, bytes: parseHex(o['hex'], `${where}: hex`) };
}

/** The `seq`, `time`, `dir`, `nfds`, `conn` and `socket` keys of a JSONL line. @throws VfioUserCaptureError naming `where` for a wrong one. */
export function readMeta(o: Readonly<Record<string, unknown>>, where: string): CaptureMeta & { readonly seq: number | null } {
  const meta = {
    seq: optionalInteger(o['seq'], `${where}: seq`),
    dir: optionalDirection(o['dir'], `${where}: dir`),
    nfds: optionalInteger(o['nfds'], `${where}: nfds`),
    conn: optionalConn(o['conn'], `${where}: conn`),
    socket: optionalSocket(o['socket'], `${where}: socket`),
  };
  const time = optionalTime(o['time'], `${where}: time`);
  return time === null ? meta : { ...meta, time };
}

/** Writes `seq`, then `time`, `conn`, `dir`, `nfds` and `socket` where known, into `o` (in that order). */
export function writeMeta(o: Record<string, unknown>, r: CaptureMeta & { readonly seq: number }): void {
  o['seq'] = r.seq;
  if (r.time !== undefined && r.time !== null) o['time'] = Math.round(r.time * 1e6) / 1e6;
  if (r.conn !== null) o['conn'] = r.conn;
  if (r.dir !== null) o['dir'] = r.dir;
  if (r.nfds !== null) o['nfds'] = r.nfds;
  if (r.socket !== null) o['socket'] = r.socket;
}

/** A non-negative integer, or null when absent. */
function optionalInteger(x: unknown, what: string): number | null {
  if (x === undefined || x === null) return null;
  if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0) formatError(`${what} must be a non-negative integer`);
  return x;
}

/** A non-negative number of seconds, or null when absent. */
function optionalTime(x: unknown, what: string): number | null {
  if (x === undefined || x === null) return null;
  if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) formatError(`${what} must be a non-negative number of seconds`);
  return x;
}

/** `c2s` or `s2c`, or null when absent. */
function optionalDirection(x: unknown, what: string): Direction | null {
  if (x === undefined || x === null) return null;
  if (x !== 'c2s' && x !== 's2c') formatError(`${what} must be "c2s" or "s2c"`);
  return x;
}

/** A connection number or name, or null when absent. */
function optionalConn(x: unknown, what: string): number | string | null {
  if (x === undefined || x === null) return null;
  if (typeof x === 'string' || (typeof x === 'number' && Number.isSafeInteger(x))) return x;
  return formatError(`${what} must be an integer or a string`);
}

/** `main` or `twin`, or null when absent. */
function optionalSocket(x: unknown, what: string): SocketName | null {
  if (x === undefined || x === null) return null;
  if (x !== 'main' && x !== 'twin') formatError(`${what} must be "main" or "twin"`);
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

/** One JSONL capture line (no newline): `seq`, then `time`, `conn`, `dir`, `nfds` and `socket` when known, then `hex`. */
export function captureLine(r: CaptureRecord): string {
  const o: Record<string, unknown> = {};
  writeMeta(o, r);
  o['hex'] = toHex(r.bytes);
  return JSON.stringify(o);
}

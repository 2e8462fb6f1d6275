/**
 * Reading captures as streams with bounded memory, and writing them.
 */
import { open } from 'node:fs/promises';
import { watch } from 'node:fs';
import { HEADER_SIZE } from '../codec.js';
import { VfioUserCaptureError } from '../errors.js';
import { captureLine, DEFAULT_MAX_LINE_BYTES, guessFormat, jsonLine, NO_META, parseHex, recordFromJson, type CaptureRecord, type InputFormat } from './jsonl.js';
import { PcapngReader, pcapngHeader, pcapngPacket } from './pcapng.js';

/** Options of {@link readCaptureStream}. */
export interface CaptureReadOptions {
  /** The format; guessed from the first bytes (up to 64 KiB) when absent. */
  readonly format?: InputFormat;
  /** Longest line (JSONL, hex), message (raw) or pcapng block held. Default {@link DEFAULT_MAX_LINE_BYTES} (4 MiB). */
  readonly maxLineBytes?: number;
}

const GUESS_BYTES = 64 * 1024;

function tooLong(limit: number, value: number, offset: number, what: string): never {
  throw new VfioUserCaptureError('ERR_CAPTURE_LINE_LENGTH', `${what} longer than maxLineBytes (${limit} bytes)`, offset, { limitName: 'maxLineBytes', limit, value });
}

/** Splits byte chunks into lines, holding at most `max` bytes of an unfinished line. */
class LineSplitter {
  #parts: Buffer[] = [];
  #length = 0;
  #line = 0;
  #offset = 0;
  constructor(readonly max: number) {}

  /** The complete lines of `chunk` (with their numbers, from 1), without the newline. */
  push(chunk: Uint8Array): [string, number][] {
    const out: [string, number][] = [];
    const b = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (;;) {
      const nl = b.indexOf(0x0a, start);
      if (nl < 0) break;
      if (this.#length + nl - start > this.max) tooLong(this.max, this.#length + nl - start, this.#offset, `line ${this.#line + 1}`);
      this.#parts.push(b.subarray(start, nl));
      out.push([Buffer.concat(this.#parts).toString('utf8'), ++this.#line]);
      this.#offset += this.#length + nl - start + 1;
      this.#parts = [];
      this.#length = 0;
      start = nl + 1;
    }
    if (start < b.length) {
      this.#length += b.length - start;
      if (this.#length > this.max) tooLong(this.max, this.#length, this.#offset, `line ${this.#line + 1}`);
      this.#parts.push(Buffer.from(b.subarray(start)));
    }
    return out;
  }

  /** The last line, when the input did not end with a newline. */
  end(): [string, number][] {
    if (this.#length === 0) return [];
    const line = Buffer.concat(this.#parts).toString('utf8');
    this.#parts = [];
    this.#length = 0;
    return [[line, ++this.#line]];
  }
}

/**
 * The lines of a stream of byte chunks, with their numbers (from 1), holding
 * at most `maxLineBytes` of one line (`ERR_CAPTURE_LINE_LENGTH` beyond).
 */
export async function* readLines(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, maxLineBytes = DEFAULT_MAX_LINE_BYTES): AsyncGenerator<[string, number], void, undefined> {
  const lines = new LineSplitter(maxLineBytes);
  for await (const chunk of source) yield* lines.push(chunk);
  yield* lines.end();
}

/** Cuts a byte stream into messages by msg_size, holding at most one message (bounded by `max`). */
class RawFramer {
  #pending: Buffer = Buffer.alloc(0);
  #seq = 0;
  #offset = 0;
  constructor(readonly max: number) {}

  push(chunk: Uint8Array): CaptureRecord[] {
    this.#pending = this.#pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.#pending, chunk]);
    const out: CaptureRecord[] = [];
    let o = 0;
    const b = this.#pending;
    while (b.length - o >= HEADER_SIZE) {
      const size = b.readUInt32LE(o + 4);
      // A msg_size below the header ends the framing: what follows is one last record.
      if (size < HEADER_SIZE) break;
      if (size > this.max) tooLong(this.max, size, this.#offset + o, `message ${this.#seq + 1}`);
      if (b.length - o < size) break;
      out.push({ seq: ++this.#seq, ...NO_META, bytes: new Uint8Array(b.subarray(o, o + size)) });
      o += size;
    }
    this.#offset += o;
    this.#pending = o === b.length ? Buffer.alloc(0) : Buffer.from(b.subarray(o));
    if (this.#pending.length > this.max) tooLong(this.max, this.#pending.length, this.#offset, `message ${this.#seq + 1}`);
    return out;
  }

  /** The bytes left at the end, as one last record that will not decode. */
  end(): CaptureRecord[] {
    if (this.#pending.length === 0) return [];
    const r = { seq: ++this.#seq, ...NO_META, bytes: new Uint8Array(this.#pending) };
    this.#pending = Buffer.alloc(0);
    return [r];
  }
}

/** Turns a capture's bytes into records, chunk by chunk. */
interface Parser {
  push(chunk: Uint8Array): CaptureRecord[];
  end(): CaptureRecord[];
}

function parserFor(format: InputFormat, max: number): Parser {
  switch (format) {
    case 'jsonl': {
      const lines = new LineSplitter(max);
      let n = 0;
      const records = (ls: [string, number][]): CaptureRecord[] => {
        const out: CaptureRecord[] = [];
        for (const [text, line] of ls) {
          const j = jsonLine(text, line);
          if (j !== null) out.push(recordFromJson(j.value, j.where, ++n));
        }
        return out;
      };
      return { push: (c) => records(lines.push(c)), end: () => records(lines.end()) };
    }
    case 'hex': {
      const lines = new LineSplitter(max);
      const framer = new RawFramer(max);
      const bytes = (ls: [string, number][]): CaptureRecord[] => {
        const out: CaptureRecord[] = [];
        for (const [text, line] of ls) out.push(...framer.push(parseHex(text.replace(/#.*/, ''), `hex input line ${line}`)));
        return out;
      };
      return { push: (c) => bytes(lines.push(c)), end: () => [...bytes(lines.end()), ...framer.end()] };
    }
    case 'raw': {
      const framer = new RawFramer(max);
      return { push: (c) => framer.push(c), end: () => framer.end() };
    }
    case 'pcapng': {
      const reader = new PcapngReader(max);
      return {
        push: (c) => reader.push(c),
        end: () => {
          reader.end();
          return [];
        },
      };
    }
  }
}

/**
 * Reads a capture from a stream of byte chunks (a file, a pipe, standard
 * input, a socket) and yields its messages as they complete. Memory stays
 * bounded by `maxLineBytes` whatever the input's length: a longer line,
 * message or block is `ERR_CAPTURE_LINE_LENGTH`; malformed input is
 * `ERR_CAPTURE_FORMAT` (both {@link VfioUserCaptureError}).
 *
 * @example
 * for await (const r of readCaptureStream(createReadStream('session.jsonl'))) console.log(r.seq, r.dir, r.bytes.length);
 */
export async function* readCaptureStream(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: CaptureReadOptions = {}): AsyncGenerator<CaptureRecord, void, undefined> {
  const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let parser: Parser | null = options.format === undefined ? null : parserFor(options.format, max);
  let head: Buffer[] = [];
  let headLength = 0;
  for await (const chunk of source) {
    if (parser === null) {
      head.push(Buffer.from(chunk));
      headLength += chunk.length;
      const first = Buffer.concat(head);
      // Decided by the first bytes unless they could still be hex text or raw bytes.
      const guess = guessFormat(first);
      if (guess === 'hex' && headLength < GUESS_BYTES) {
        head = [first];
        continue;
      }
      if (first.length < 4 && guess !== 'raw' && /^\s*$/.test(first.toString('latin1'))) {
        head = [first];
        continue;
      }
      head = [];
      parser = parserFor(guess, max);
      yield* parser.push(first);
      continue;
    }
    yield* parser.push(chunk);
  }
  if (parser === null) {
    const first = Buffer.concat(head);
    parser = parserFor(guessFormat(first), max);
    yield* parser.push(first);
  }
  yield* parser.end();
}

/** Reads a whole capture held in memory; the format is guessed when undefined. */
export function readCapture(content: Uint8Array, format?: InputFormat): { format: InputFormat; records: CaptureRecord[] } {
  const f = format ?? guessFormat(content);
  const parser = parserFor(f, Math.max(DEFAULT_MAX_LINE_BYTES, content.length));
  return { format: f, records: [...parser.push(content), ...parser.end()] };
}

/** Options of {@link followFile}. */
export interface FollowOptions {
  /** Stops following when this signal aborts. */
  readonly signal?: AbortSignal;
  /** Bytes read at a time. Default 65536. */
  readonly chunkBytes?: number;
}

/**
 * The bytes of a file that is still being written (`tail -f`): everything
 * in it now, then whatever is appended, until `signal` aborts. Waits for
 * changes with fs.watch, never by polling on a timer.
 */
export async function* followFile(path: string, options: FollowOptions = {}): AsyncGenerator<Uint8Array, void, undefined> {
  const fh = await open(path, 'r');
  const signal = options.signal;
  let wake: (() => void) | null = null;
  let changed = true;
  const watcher = watch(path, () => {
    changed = true;
    wake?.();
  });
  const aborted = (): boolean => signal?.aborted === true;
  const onAbort = (): void => wake?.();
  signal?.addEventListener('abort', onAbort);
  try {
    const buf = Buffer.alloc(options.chunkBytes ?? 65536);
    let position = 0;
    while (!aborted()) {
      changed = false;
      for (;;) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, position);
        if (bytesRead === 0) break;
        position += bytesRead;
        yield Buffer.from(buf.subarray(0, bytesRead));
      }
      if (changed || aborted()) continue;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = null;
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    watcher.close();
    await fh.close();
  }
}

/** Where a {@link CaptureWriter} writes. */
export interface CaptureSink {
  write(chunk: string | Uint8Array): unknown;
}

/**
 * Writes a capture message by message, as JSONL (one {@link captureLine}
 * per message) or pcapng (see ./pcapng.ts), stamping each with the time it
 * is written unless the record has one.
 *
 * @example
 * const w = new CaptureWriter(createWriteStream('out.pcapng'), 'pcapng');
 * w.write({ seq: 1, dir: 'c2s', nfds: 0, conn: 0, socket: null, bytes });
 */
export class CaptureWriter {
  readonly #sink: CaptureSink;
  readonly #format: 'jsonl' | 'pcapng';
  readonly #clock: () => number;
  #seq = 0;

  /** `clock` gives seconds since the Unix epoch; default Date.now() / 1000. Pass `null` to write no times. */
  constructor(sink: CaptureSink, format: 'jsonl' | 'pcapng' = 'jsonl', clock: (() => number) | null = () => Date.now() / 1000) {
    this.#sink = sink;
    this.#format = format;
    this.#clock = clock ?? ((): number => Number.NaN);
    if (format === 'pcapng') sink.write(pcapngHeader());
  }

  /** Writes one message; a record without `seq` (0) is numbered in order. */
  write(record: Omit<CaptureRecord, 'seq'> & { readonly seq?: number }): void {
    this.#seq = record.seq !== undefined && record.seq > 0 ? record.seq : this.#seq + 1;
    const now = this.#clock();
    const time = record.time ?? (Number.isNaN(now) ? null : now);
    const r: CaptureRecord = { ...record, seq: this.#seq, time };
    this.#sink.write(this.#format === 'pcapng' ? pcapngPacket(r) : `${captureLine(r)}\n`);
  }
}

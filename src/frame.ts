/**
 * FrameDecoder: a byte stream in chunks of any size, with the file
 * descriptors that arrived beside each chunk; out come whole decoded
 * messages, each with the fds that belong to it.
 *
 * Fds travel with the first byte of the message they belong to (a sender
 * puts header, body and fds in one sendmsg). On Linux a stream read that
 * meets a segment carrying fds ends right after it, so a read can hold
 * messages without fds followed by the start of the one that has them: the
 * fds given with a chunk belong to the last message that starts in that
 * chunk.
 *
 * A message that arrives whole inside one chunk is decoded in place (its
 * tails are views into that chunk); a message split across chunks is copied
 * once into a buffer of its msg_size.
 *
 * A transport that can read into memory it is given asks
 * {@link FrameDecoder.receiveBuffer} where to put the next bytes and pushes
 * the part it filled: small messages then land in a slab the decoder owns
 * (one DataView for the whole slab), and the rest of a message that spans
 * reads lands straight in that message's own buffer, so only the bytes of
 * its first read are copied.
 *
 * A receiver done with a frame can hand it back with
 * {@link FrameDecoder.recycle}: the buffer a split message was assembled in
 * is then reused for the next split message that fits, instead of a fresh
 * one whose pages the kernel must fault in again; and once every message
 * decoded in the receive slab is handed back and no byte waits, the next
 * read goes to the slab's start again.
 */
import type { Message } from '../generated/ts/messages.js';
import { decodeMessage } from '../generated/ts/messages.js';
import { checkMsgSize, HEADER_SIZE } from './codec.js';
import { VfioUserError, VfioUserInvalidError, VfioUserLimitError } from './errors.js';
import { resolveOptions, type CodecOptions, type ResolvedOptions } from './options.js';
import { viewsOf } from './wire.js';

/** One framed message. */
export interface Frame {
  readonly message: Message;
  /** The message's bytes (a view into the chunk, or the assembled copy). */
  readonly bytes: Uint8Array;
  /** The fds that arrived with the message's first byte (a message without any shares one frozen empty array). */
  readonly fds: number[];
  /** Offset of the message's first byte in the stream. */
  readonly offset: number;
}

const NO_FDS: readonly number[] = Object.freeze([]);
/** The fds of every message that has none: frozen, so a caller that pushes to it fails at once. */
const NONE = NO_FDS as number[];

/** A framed message whose `bytes` view is made only when asked for (most receivers never look). */
class LazyFrame implements Frame {
  readonly message: Message;
  readonly fds: number[];
  readonly offset: number;
  readonly #buffer: ArrayBufferLike;
  readonly #at: number;
  readonly #size: number;
  #bytes: Uint8Array | null;

  constructor(message: Message, buffer: ArrayBufferLike, at: number, size: number, bytes: Uint8Array | null, fds: number[], offset: number) {
    this.message = message;
    this.fds = fds;
    this.offset = offset;
    this.#buffer = buffer;
    this.#at = at;
    this.#size = size;
    this.#bytes = bytes;
  }

  get bytes(): Uint8Array {
    return (this.#bytes ??= new Uint8Array(this.#buffer, this.#at, this.#size));
  }

  /** The buffer a frame's bytes are in, without making its view. */
  static bufferOf(frame: Frame): ArrayBufferLike {
    return #buffer in frame ? (frame as LazyFrame).#buffer : frame.bytes.buffer;
  }
}

/**
 * A buffer of `n` bytes whose every byte will be written before it is read
 * (the rest of a message being received): on Node, memory that is not zeroed
 * first (Buffer.allocUnsafeSlow, never pooled), as a plain Uint8Array.
 */
function uninitialized(n: number): Uint8Array {
  const B = (globalThis as { Buffer?: { allocUnsafeSlow(n: number): Uint8Array } }).Buffer;
  return B === undefined ? new Uint8Array(n) : new Uint8Array(B.allocUnsafeSlow(n).buffer, 0, n);
}

/** The byte {@link FrameDecoder.recycle} fills a frame with when asked to poison it. */
export const POISON_BYTE = 0xdb;

const EMPTY_BYTES = new Uint8Array(0);
const EMPTY_VIEW = new DataView(EMPTY_BYTES.buffer);

/** Size of a receive slab, and the least free space worth reading into before a new one is taken. */
const SLAB_SIZE = 64 * 1024;
const SLAB_MIN_FREE = 4 * 1024;

/** A pushed chunk; the records are reused once their chunk is framed. */
interface Chunk {
  bytes: Uint8Array;
  fds: number[] | null;
  /** The DataView over the chunk's buffer and the chunk's byteOffset in it, looked up once per chunk. */
  v: DataView;
  base: number;
  buffer: ArrayBufferLike;
}

/**
 * Frames a vfio-user byte stream. Call {@link push} with each chunk and its
 * fds, then {@link next} until it returns null.
 *
 * When next() throws, the error carries the fds of the rejected message in
 * `error.fds` (the caller owns them: close them) and `error.fatal` says
 * whether the stream can go on. After a non-fatal error the decoder has
 * consumed the bad message and next() continues with the following one; a
 * message above maxMessageSize is skipped as its bytes arrive, without
 * buffering it. After a fatal error (msg_size below 16: the stream cannot be
 * resynchronised) every later next() throws the same error.
 *
 * Chunks are kept by reference until framed: do not reuse a pushed buffer.
 */
export class FrameDecoder {
  readonly #opt: ResolvedOptions;
  readonly #chunks: Chunk[] = [];
  /** A chunk record whose chunk is framed, to hold the next chunk pushed. */
  #free: Chunk | null = null;
  /** Position in the first chunk. */
  #pos = 0;
  /** Stream offset of the first unconsumed byte. */
  #offset = 0;
  /** Bytes buffered but not framed. */
  #buffered = 0;
  /** The message being assembled across chunks. */
  #partial: { buf: Uint8Array; v: DataView; filled: number; fds: number[]; offset: number } | null = null;
  /** The receive slab handed out by receiveBuffer(), its DataView, and how much of it holds pushed bytes. */
  #slab: Uint8Array | null = null;
  #slabView: DataView | null = null;
  #slabUsed = 0;
  /** Messages decoded in place in the slab and not recycled yet; once none is and every byte is framed, the slab is read into from its start again. */
  #slabLent = 0;
  /** An error handed out a view of the slab: it is not read into from its start again. */
  #slabPinned = false;
  /** Bytes of an oversized message still to skip. */
  #skip = 0;
  #fatal: VfioUserError | null = null;
  readonly #header = new Uint8Array(HEADER_SIZE);
  /** The buffer of the last assembled message handed out, until it is recycled. */
  #lent: ArrayBufferLike | null = null;
  #lentView: DataView | null = null;
  /** An assembly buffer given back by recycle(), a view of all of it, and its DataView. */
  #spare: ArrayBufferLike | null = null;
  #spareBytes: Uint8Array | null = null;
  #spareView: DataView | null = null;

  /** @param options dialect of the sending side and limits (maxMessageSize, maxMsgFds, ...). */
  constructor(options?: CodecOptions) {
    this.#opt = resolveOptions(options);
  }

  /** Bytes received and not yet returned as messages. */
  get buffered(): number {
    return this.#buffered;
  }

  /**
   * True when every byte received has been framed: no message is half
   * received and no oversized message is being skipped. A clean place to
   * close the stream.
   */
  get atBoundary(): boolean {
    return this.#buffered === 0 && this.#partial === null && this.#skip === 0;
  }

  /**
   * Where a transport should read the next bytes of the stream: the rest of
   * the message being assembled when one is (a read then fills it in place,
   * and stops at its end so that the next message's fds come with the next
   * read), else free space in a receive slab the decoder owns. Push the part
   * that was filled (a prefix of the returned view) with {@link push}; bytes
   * pushed this way are not copied again unless a message straddles reads.
   * Returns a view of at least 1 byte.
   */
  receiveBuffer(): Uint8Array {
    const p = this.#partial;
    if (p !== null && this.#chunks.length === 0) return p.buf.subarray(p.filled);
    // Between messages, with a recycled buffer: the next message may be received in it in place.
    if (this.#spare !== null && p === null && this.#chunks.length === 0 && this.#skip === 0) return this.#spareBytes!;
    let slab = this.#slab;
    if (slab === null || slab.length - this.#slabUsed < SLAB_MIN_FREE) {
      slab = new Uint8Array(SLAB_SIZE);
      this.#takeSlab(slab, new DataView(slab.buffer), 0);
    }
    return this.#slabUsed === 0 ? slab : slab.subarray(this.#slabUsed);
  }

  /** Adds a chunk of the stream and the fds that arrived with it. */
  push(chunk: Uint8Array, fds: readonly number[] = NO_FDS): void {
    let v: DataView;
    const slab = this.#slab;
    const p = this.#partial;
    if (slab !== null && chunk.buffer === slab.buffer && chunk.byteOffset === this.#slabUsed) {
      // Filled from receiveBuffer(): the slab's own view, and the slab moves on.
      this.#slabUsed += chunk.length;
      v = this.#slabView!;
    } else if (p !== null && chunk.buffer === p.buf.buffer) {
      v = p.v;
    } else if (chunk.buffer === this.#spare && chunk.byteOffset === 0) {
      // Filled from the recycled buffer: it stays spare when it holds the start of one longer message
      // that fits it (assembled there, see #start); otherwise it becomes the receive slab.
      v = this.#spareView!;
      const size = chunk.length >= HEADER_SIZE ? v.getUint32(4, true) : 0;
      if (size <= chunk.length || size > chunk.buffer.byteLength) {
        this.#takeSlab(this.#spareBytes!, v, chunk.length);
        this.#spare = null;
        this.#spareBytes = null;
      }
    } else {
      v = viewsOf(chunk).v;
    }
    const copy = fds.length > 0 ? [...fds] : null;
    const c = this.#free;
    if (c === null) {
      this.#chunks.push({ bytes: chunk, fds: copy, v, base: chunk.byteOffset, buffer: chunk.buffer });
    } else {
      this.#free = null;
      c.bytes = chunk;
      c.fds = copy;
      c.v = v;
      c.base = chunk.byteOffset;
      c.buffer = chunk.buffer;
      this.#chunks.push(c);
    }
    this.#buffered += chunk.length;
  }

  /**
   * The next whole message, or null when more bytes are needed.
   * @throws VfioUserError with `fds` and `fatal` set; see the class doc.
   */
  next(): Frame | null {
    if (this.#fatal !== null) throw this.#fatal;
    for (;;) {
      const head = this.#chunks[0];
      if (head === undefined) return null;
      // Fds on a chunk in which no message starts belong to no message.
      if (this.#pos >= head.bytes.length) {
        this.#chunks.shift();
        this.#pos = 0;
        const fds = head.fds;
        this.#release(head);
        if (fds !== null) {
          const err = new VfioUserInvalidError('ERR_FD_COUNT', `${fds.length} fds arrived with bytes in which no message starts`, this.#offset, { available: fds.length });
          err.fds = fds;
          err.streamOffset = this.#offset;
          throw err;
        }
        continue;
      }
      if (this.#skip > 0) {
        const n = Math.min(this.#skip, head.bytes.length - this.#pos);
        this.#consume(n);
        this.#skip -= n;
        continue;
      }
      if (this.#partial !== null) {
        const p = this.#partial;
        const n = Math.min(p.buf.length - p.filled, head.bytes.length - this.#pos);
        // Bytes read straight into the message's buffer (receiveBuffer) are already in place.
        if (head.buffer !== p.buf.buffer || head.base + this.#pos !== p.buf.byteOffset + p.filled) {
          p.buf.set(head.bytes.subarray(this.#pos, this.#pos + n), p.filled);
          // Copied out of the end of the receive slab: that space can take the next reads.
          if (head.buffer === this.#slab?.buffer && head.base + this.#pos + n === this.#slabUsed) this.#slabUsed = head.base + this.#pos;
        }
        p.filled += n;
        this.#consume(n);
        if (p.filled < p.buf.length) continue;
        this.#partial = null;
        this.#lent = p.buf.buffer;
        this.#lentView = p.v;
        return this.#decodeIn(p.v, p.buf.buffer, p.buf.byteOffset, p.buf.length, p.buf, p.fds, p.offset);
      }
      return this.#start(head);
    }
  }

  /** A message starts at #pos of the first chunk. */
  #start(head: Chunk): Frame | null {
    const offset = this.#offset;
    const avail = head.bytes.length - this.#pos;
    let v: DataView;
    let h0: number;
    if (avail >= HEADER_SIZE) {
      // The header is whole in the chunk: read it in place, no view.
      v = head.v;
      h0 = head.base + this.#pos;
    } else {
      if (this.#buffered < HEADER_SIZE) return null;
      const hdr = this.#header;
      let filled = 0;
      for (let i = 0, pos = this.#pos; filled < HEADER_SIZE; i++, pos = 0) {
        const c = this.#chunks[i]!.bytes;
        const n = Math.min(HEADER_SIZE - filled, c.length - pos);
        hdr.set(c.subarray(pos, pos + n), filled);
        filled += n;
      }
      v = viewsOf(hdr).v;
      h0 = hdr.byteOffset;
    }
    const msgId = v.getUint16(h0, true);
    const cmd = v.getUint16(h0 + 2, true);
    const msgSize = v.getUint32(h0 + 4, true);
    // The chunk's fds are this message's when no other message starts after it in the chunk.
    const last = msgSize < HEADER_SIZE || avail <= msgSize;
    const fds = last ? (head.fds ?? NONE) : NONE;
    if (last) head.fds = null;
    try {
      checkMsgSize(msgSize, cmd, msgId, this.#opt, offset);
    } catch (e) {
      const err = e as VfioUserError;
      err.fds = fds;
      err.streamOffset = offset;
      err.head = { msg_id: msgId, cmd, msg_size: msgSize, flags: v.getUint32(h0 + 8, true) };
      if (err instanceof VfioUserLimitError) {
        this.#skip = msgSize;
      } else {
        err.fatal = true;
        this.#fatal = err;
      }
      throw err;
    }
    if (avail >= msgSize) {
      const m0 = head.base + this.#pos;
      this.#consume(msgSize);
      const frame = this.#decodeIn(v, head.buffer, m0, msgSize, null, fds, offset);
      if (head.buffer === this.#slab?.buffer) this.#slabLent++;
      return frame;
    }
    // Split: copy once into a buffer of the message's size (a recycled one when it fits;
    // no copy when the message's first bytes were received at its start).
    const spare = this.#spare;
    if (spare !== null && spare.byteLength >= msgSize) {
      this.#spare = null;
      this.#spareBytes = null;
      this.#partial = { buf: new Uint8Array(spare, 0, msgSize), v: this.#spareView!, filled: 0, fds, offset };
    } else {
      const buf = uninitialized(msgSize);
      this.#partial = { buf, v: new DataView(buf.buffer), filled: 0, fds, offset };
    }
    return this.next();
  }

  /**
   * Hands back a frame the receiver is done with: its message, the
   * message's tails and `bytes` must not be used any more. The buffer a
   * split message was assembled in is reused for the next split message
   * that fits; a whole message is a view of the receive slab, whose space is
   * read into again once every message decoded there is handed back and
   * every byte received is framed. With `poison`, the frame's bytes are first overwritten with
   * {@link POISON_BYTE}, so that a view kept by mistake reads as garbage at
   * once rather than when a later message happens to land there.
   */
  recycle(frame: Frame, poison = false): void {
    if (poison) frame.bytes.fill(POISON_BYTE);
    const buffer = LazyFrame.bufferOf(frame);
    if (buffer === this.#slab?.buffer) {
      // The slab's space is read into again from its start once no message decoded there is out and no byte waits.
      if (--this.#slabLent === 0 && !this.#slabPinned && this.#buffered === 0 && this.#partial === null && this.#skip === 0) this.#slabUsed = 0;
      return;
    }
    if (buffer !== this.#lent) return;
    this.#lent = null;
    if (this.#spare !== null && this.#spare.byteLength >= buffer.byteLength) return;
    this.#spare = buffer;
    this.#spareBytes = new Uint8Array(buffer);
    this.#spareView = this.#lentView;
  }

  /**
   * Ends the stream: returns the fds not yet handed out (those of a message
   * still incomplete, and of chunks not yet framed) so the caller can close
   * them, and forgets every buffered byte.
   */
  close(): number[] {
    const fds: number[] = [];
    if (this.#partial !== null) fds.push(...this.#partial.fds);
    for (const c of this.#chunks) if (c.fds !== null) fds.push(...c.fds);
    this.#chunks.length = 0;
    this.#partial = null;
    this.#pos = 0;
    this.#buffered = 0;
    this.#skip = 0;
    return fds;
  }

  /** Makes `slab` the receive slab, `used` bytes of it already pushed. */
  #takeSlab(slab: Uint8Array, v: DataView, used: number): void {
    this.#slab = slab;
    this.#slabView = v;
    this.#slabUsed = used;
    this.#slabLent = 0;
    this.#slabPinned = false;
  }

  /** Keeps a framed chunk's record for the next push, without its references. */
  #release(c: Chunk): void {
    c.bytes = EMPTY_BYTES;
    c.fds = null;
    c.v = EMPTY_VIEW;
    c.buffer = EMPTY_BYTES.buffer;
    this.#free = c;
  }

  #consume(n: number): void {
    this.#pos += n;
    this.#offset += n;
    this.#buffered -= n;
  }

  /** Decodes the message of `size` bytes at `m0` of `buffer` (`bytes` is its view when there is one already). */
  #decodeIn(v: DataView, buffer: ArrayBufferLike, m0: number, size: number, bytes: Uint8Array | null, fds: number[], offset: number): Frame {
    try {
      if (fds.length > this.#opt.limits.maxMsgFds) {
        throw new VfioUserLimitError('ERR_LIMIT', `${fds.length} fds exceed maxMsgFds ${this.#opt.limits.maxMsgFds}`, offset, {
          cmd: v.getUint16(m0 + 2, true),
          msgId: v.getUint16(m0, true),
          limitName: 'maxMsgFds',
          limit: this.#opt.limits.maxMsgFds,
          value: fds.length,
        });
      }
      const message = decodeMessage(v, buffer, m0, size, this.#opt);
      return new LazyFrame(message, buffer, m0, size, bytes, fds, offset);
    } catch (e) {
      if (e instanceof VfioUserError) {
        e.fds = fds;
        e.streamOffset = offset;
        e.head = { msg_id: v.getUint16(m0, true), cmd: v.getUint16(m0 + 2, true), msg_size: size, flags: v.getUint32(m0 + 8, true) };
        e.bytes = bytes ?? new Uint8Array(buffer, m0, size);
        if (buffer === this.#slab?.buffer) this.#slabPinned = true;
      }
      throw e;
    }
  }
}

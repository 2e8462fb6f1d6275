/**
 * Where messages start in a byte stream that arrives in chunks, found from
 * each header's msg_size without decoding anything else. A session uses it
 * to know the header of a message the framer rejected.
 */
import { HEADER_SIZE } from '../codec.js';

/** The header of a message that starts in a scanned chunk. */
export interface MessageHead {
  /** Offset of the message's first byte in the stream. */
  readonly streamOffset: number;
  readonly msg_id: number;
  readonly cmd: number;
  readonly msg_size: number;
  readonly flags: number;
}

/** What {@link MessageStarts.scan} found in one chunk. */
export interface ScanResult {
  /** Offsets within the chunk at which a message starts, ascending. */
  readonly starts: number[];
  /** Headers completed by this chunk (a header split across chunks completes in the later one). */
  readonly heads: MessageHead[];
}

/**
 * Follows a stream message by message: feed every chunk in order to
 * {@link scan}. A msg_size below 16 makes the stream unframeable: from then
 * on no start is reported (the framer fails the same way).
 */
export class MessageStarts {
  /** Stream offset of the next byte. */
  #offset = 0;
  /** Bytes of the current message's body still to come. */
  #left = 0;
  readonly #header = new Uint8Array(HEADER_SIZE);
  #filled = 0;
  #headOffset = 0;
  #broken = false;

  /** True once a msg_size below 16 was seen. */
  get broken(): boolean {
    return this.#broken;
  }

  /** Scans the next chunk of the stream. */
  scan(chunk: Uint8Array): ScanResult {
    const starts: number[] = [];
    const heads: MessageHead[] = [];
    let i = 0;
    while (i < chunk.length && !this.#broken) {
      if (this.#left > 0) {
        const n = Math.min(this.#left, chunk.length - i);
        i += n;
        this.#left -= n;
        continue;
      }
      if (this.#filled === 0) {
        starts.push(i);
        this.#headOffset = this.#offset + i;
      }
      const n = Math.min(HEADER_SIZE - this.#filled, chunk.length - i);
      this.#header.set(chunk.subarray(i, i + n), this.#filled);
      this.#filled += n;
      i += n;
      if (this.#filled < HEADER_SIZE) continue;
      this.#filled = 0;
      const v = new DataView(this.#header.buffer, this.#header.byteOffset, HEADER_SIZE);
      const msgSize = v.getUint32(4, true);
      heads.push({ streamOffset: this.#headOffset, msg_id: v.getUint16(0, true), cmd: v.getUint16(2, true), msg_size: msgSize, flags: v.getUint32(8, true) });
      if (msgSize < HEADER_SIZE) this.#broken = true;
      else this.#left = msgSize - HEADER_SIZE;
    }
    this.#offset += chunk.length;
    return { starts, heads };
  }
}

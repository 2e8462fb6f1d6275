/**
 * Captures of vfio-user traffic: read them (JSONL, raw, hex, pcapng) as
 * streams with bounded memory, and write them (JSONL, pcapng).
 *
 * @example
 * import { createReadStream } from 'node:fs';
 * import { readCaptureStream } from 'vfio-user-protocol/capture';
 * for await (const r of readCaptureStream(createReadStream('session.jsonl'))) console.log(r.seq, r.dir, r.bytes.length);
 */
export {
  captureLine,
  DEFAULT_MAX_LINE_BYTES,
  frameStream,
  guessFormat,
  INPUT_FORMATS,
  NO_META,
  parseHex,
  toHex,
  type CaptureMeta,
  type CaptureRecord,
  type Direction,
  type InputFormat,
} from './jsonl.js';
export { CaptureWriter, followFile, readCapture, readCaptureStream, readLines, type CaptureReadOptions, type CaptureSink, type FollowOptions } from './stream.js';
export { LINKTYPE_WIRESHARK_UPPER_PDU, PCAPNG_DISSECTOR, PCAPNG_SNAPLEN, PcapngReader, PSEUDO_HEADER_SIZE, pcapngHeader, pcapngPacket, toPcapng } from './pcapng.js';
export { VfioUserCaptureError } from '../errors.js';

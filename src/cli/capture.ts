/** The capture formats as the command uses them: see src/capture/. */
export * from '../capture/jsonl.js';
export { readCapture, readCaptureStream, readLines, followFile } from '../capture/stream.js';
export { toPcapng } from '../capture/pcapng.js';

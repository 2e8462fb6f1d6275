/**
 * The example session that `vfio-user decode` shows when given no file:
 * examples/session.jsonl, which the package ships. `npm run generate` writes
 * it from the session declared in spec/fixtures/session.ts.
 */
import { readFileSync } from 'node:fs';
import { readCapture, type CaptureRecord } from './capture.js';

/** examples/session.jsonl, from the compiled dist/src/cli/. */
const EXAMPLE = new URL('../../../examples/session.jsonl', import.meta.url);

/** The example session's messages, read from the shipped capture. */
export function exampleSession(): CaptureRecord[] {
  return readCapture(readFileSync(EXAMPLE), 'jsonl').records;
}

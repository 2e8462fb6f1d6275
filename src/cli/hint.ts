/**
 * Telling the user what the command did not see: the built-in example shown
 * for want of input, and a client that looks like an implementation whose
 * dialect was not given. Both go to standard error, once.
 */
import { dialects } from '../spec.js';
import { VFIO_USER_F_TYPE_COMMAND, VFIO_USER_F_TYPE_MASK, VFIO_USER_VERSION } from '../../generated/ts/constants.js';
import type { CaptureRecord } from './capture.js';
import { inferSide } from './decoded.js';

/** Capability paths of a JSON object: `max_msg_fds`, `migration.pgsize`, ... */
function keyPaths(value: unknown, prefix: string, out: string[]): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return out;
  for (const [k, v] of Object.entries(value)) {
    const path = prefix === '' ? k : `${prefix}.${k}`;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) keyPaths(v, path, out);
    else out.push(path);
  }
  return out;
}

/** The client's VERSION of a capture: major, minor and the capability paths of its JSON; null without one. */
export function clientVersion(records: readonly CaptureRecord[]): { readonly major: number; readonly minor: number; readonly keys: readonly string[] } | null {
  for (const r of records) {
    const side = r.dir === null ? inferSide(r.bytes) : r.dir === 'c2s' ? 'client' : 'server';
    if (side !== 'client' || r.bytes.length < 20) continue;
    const v = new DataView(r.bytes.buffer, r.bytes.byteOffset, r.bytes.length);
    if (v.getUint16(2, true) !== VFIO_USER_VERSION || (v.getUint32(8, true) & VFIO_USER_F_TYPE_MASK) !== VFIO_USER_F_TYPE_COMMAND) continue;
    const end = r.bytes.indexOf(0, 20);
    let keys: string[] = [];
    if (end > 20) {
      try {
        const json: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(r.bytes.subarray(20, end)));
        keys = keyPaths((json as { capabilities?: unknown } | null)?.capabilities, '', []);
      } catch {
        keys = [];
      }
    }
    return { major: v.getUint16(16, true), minor: v.getUint16(18, true), keys: keys.sort() };
  }
  return null;
}

/**
 * The dialect whose client a capture's VERSION matches (its version and
 * exactly its capability key set, spec/dialects.ts `version.clientKeys`),
 * or null.
 */
export function lookalikeClient(records: readonly CaptureRecord[]): string | null {
  const seen = clientVersion(records);
  if (seen === null) return null;
  for (const d of dialects) {
    const want = d.version;
    if (want?.client === undefined || want.clientKeys === undefined) continue;
    const keys = [...want.clientKeys].sort();
    if (seen.major === want.client[0] && seen.minor === want.client[1] && keys.length === seen.keys.length && keys.every((k, i) => k === seen.keys[i])) return d.name;
  }
  return null;
}

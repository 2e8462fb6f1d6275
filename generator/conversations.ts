/**
 * Writes the conversations of spec/fixtures/conversations.ts as the captures
 * the `vfio-user` command's tests read (test/fixtures-cli/), and the example
 * session of spec/fixtures/session.ts as examples/session.jsonl, which the
 * package ships and `vfio-user decode` reads when given no file.
 *
 * Each conversation becomes `<name>.jsonl`; `client-stream` becomes the raw
 * stream `client.bin`, the same as hex lines `client.hex`, and `broken.bin`:
 * that stream with the DEVICE_GET_INFO body cut to 8 bytes (msg_size 24) and
 * the last message cut after 10 bytes.
 */
import { conversations } from '../spec/fixtures/conversations.js';
import { exampleSession } from '../spec/fixtures/session.js';
import type { ConversationSpec } from '../spec/types.js';
import { captureLine, toHex } from '../src/cli/capture.js';

const DIR = 'test/fixtures-cli';

function stepBytes(c: ConversationSpec): Uint8Array[] {
  return c.steps.map((s) => Uint8Array.from(Buffer.from(s.hex, 'hex')));
}

function jsonl(c: ConversationSpec): string {
  const bytes = stepBytes(c);
  return c.steps
    .map((s, i) => captureLine({ seq: i + 1, conn: s.conn ?? null, dir: s.dir, nfds: s.nfds ?? 0, socket: s.socket ?? null, bytes: bytes[i]! }))
    .join('\n')
    .concat('\n');
}

function streams(c: ConversationSpec): [string, string | Uint8Array][] {
  const parts = stepBytes(c);
  const raw = Uint8Array.from(Buffer.concat(parts));
  const hex = ['# the client side of a short session, one message per line', ...parts.map((p) => toHex(p))].join('\n').concat('\n');
  const [version, getInfo, dmaMap, reset] = parts;
  if (version === undefined || getInfo === undefined || dmaMap === undefined || reset === undefined) throw new Error('client-stream: four messages expected');
  const broken = Uint8Array.from([...version, ...getInfo.subarray(0, 24), ...dmaMap, ...reset.subarray(0, 10)]);
  new DataView(broken.buffer).setUint32(version.length + 4, 24, true);
  return [
    [`${DIR}/client.bin`, raw],
    [`${DIR}/client.hex`, hex],
    [`${DIR}/broken.bin`, broken],
  ];
}

export function generateConversations(): Map<string, string | Uint8Array> {
  const files = new Map<string, string | Uint8Array>();
  for (const c of conversations) {
    if (c.name === 'client-stream') for (const [path, content] of streams(c)) files.set(path, content);
    else files.set(`${DIR}/${c.name}.jsonl`, jsonl(c));
  }
  files.set('examples/session.jsonl', jsonl(exampleSession));
  return files;
}

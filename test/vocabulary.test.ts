/**
 * Hand-written code speaks the spec's vocabulary: command numbers, flag
 * bits, feature indices, header offsets, struct sizes and capability
 * defaults come from the generated constants (generated/ts/constants.ts and
 * the struct sizes of generated/ts/structs.ts), never as bare numbers. Scans
 * the codec, the tails, the checker, the connection model, the server, the
 * client and the example session for the patterns a bare protocol number
 * takes there; primitives (u8/u16/u32 range masks, 0) are allowed.
 */
import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// dist/test/ -> the repository root.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FILES = ['src/codec.ts', 'src/tails.ts', 'src/conversation.ts', 'src/interop.ts', 'src/model/connection.ts', 'src/session/server.ts', 'src/session/client.ts', 'src/session/dma-messages.ts', 'src/cli/example.ts', ...readdirSync(join(root, 'src/session/serve')).map((f) => `src/session/serve/${f}`)];

/** Masks of the wire primitives, not protocol facts: u8, u16, u32. */
const PRIMITIVE_MASKS = new Set(['0xff', '0xffff', '0xffffffff']);

const PATTERNS: readonly { readonly name: string; readonly re: RegExp }[] = [
  { name: 'a case on a bare number', re: /\bcase\s+(\d+)\s*:/g },
  { name: 'a command compared with a bare number', re: /\bcmd\s*[!=]==\s*(\d+)\b/g },
  { name: 'a bare flag mask', re: /[&|]\s*(0x[0-9a-fA-F]+)\b/g },
  { name: 'a feature or flag compared with a bare number', re: /\b(?:feature|flags)\s*[!=]==\s*(\d+)\b/g },
  { name: 'a command sent by a bare number', re: /(?:\b(?:request|post|command|reply)|#gate)\(\s*(\d+)\s*,|\.send\(\s*\w+,\s*(\d+)\s*,/g },
  { name: 'a typed message picked by a bare number', re: /\b(?:CommandByCmd|ReplyByCmd)\[(\d+)\]/g },
  { name: 'a header field read at a bare offset', re: /\.get(?:Uint|Int)(?:8|16|32)\(\s*(\d+)\s*,/g },
  { name: 'a struct size as a bare argsz', re: /\bargsz:\s*(\d+)\b/g },
  { name: 'a bare default of a capability', re: /\?\?\s*(1048576|65535|4096)\b/g },
];

/** Source lines with comments and string/template text removed, so prose may name numbers. */
function codeLines(text: string): string[] {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .split('\n')
    .map((line) => line.replace(/\/\/.*$/, '').replace(/'(?:[^'\\]|\\.)*'/g, "''").replace(/`(?:[^`\\]|\\.)*`/g, '``'));
}

/** Every bare protocol number in `text`: `line: what (number)`. */
export function bareNumbers(text: string): string[] {
  const found: string[] = [];
  codeLines(text).forEach((line, i) => {
    for (const { name, re } of PATTERNS) {
      for (const m of line.matchAll(re)) {
        const n = m[1] ?? m[2]!;
        if (PRIMITIVE_MASKS.has(n.toLowerCase())) continue;
        if (name !== 'a bare flag mask' && n === '0') continue;
        found.push(`${i + 1}: ${name} (${n})`);
      }
    }
  });
  return found;
}

test('the scanner finds the bare numbers it looks for, and skips comments, strings and primitive masks', (t) => {
  const sample = [
    'switch (cmd) { case 3: break; case VFIO_USER_DMA_MAP: break; }',
    'if (message.cmd === 8) x();',
    'if ((flags & 0x4) !== 0) y();',
    'if (feature === 2) z();',
    'if ((msg_id & 0xffff) !== msg_id) bad();',
    '// case 9: in a comment',
    "const s = 'case 10: in a string';",
    'if (n !== 0) w();',
    'await client.request(2, body);',
    'const m: CommandByCmd[16] = x;',
    'const cmd = view.getUint16(2, true);',
    'const b = { argsz: 32, flags: 0 };',
    'const max = caps.max_data_xfer_size ?? 1048576;',
  ].join('\n');
  t.deepEqual(bareNumbers(sample), [
    '1: a case on a bare number (3)',
    '2: a command compared with a bare number (8)',
    '3: a bare flag mask (0x4)',
    '4: a feature or flag compared with a bare number (2)',
    '9: a command sent by a bare number (2)',
    '10: a typed message picked by a bare number (16)',
    '11: a header field read at a bare offset (2)',
    '12: a struct size as a bare argsz (32)',
    '13: a bare default of a capability (1048576)',
  ]);
});

for (const file of FILES) {
  test(`${file} names protocol numbers with the generated constants`, (t) => {
    const text = readFileSync(join(root, file), 'utf8');
    t.deepEqual(bareNumbers(text), []);
  });
}

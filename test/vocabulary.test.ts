/**
 * Hand-written codec and checker code speaks the spec's vocabulary: command
 * numbers, flag bits and feature indices come from the generated constants
 * (generated/ts/constants.ts), never as bare numbers. Scans the sources of
 * the codec, the tails, the checker and the interop model for the patterns a
 * bare protocol number takes there; primitives (u16/u32 range masks) are
 * allowed.
 */
import test from 'ava';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// dist/test/ -> the repository root.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FILES = ['src/codec.ts', 'src/tails.ts', 'src/conversation.ts', 'src/interop.ts'];

/** Masks of the wire primitives, not protocol facts: u8, u16, u32. */
const PRIMITIVE_MASKS = new Set(['0xff', '0xffff', '0xffffffff']);

const PATTERNS: readonly { readonly name: string; readonly re: RegExp }[] = [
  { name: 'a case on a bare number', re: /\bcase\s+(\d+)\s*:/g },
  { name: 'a command compared with a bare number', re: /\bcmd\s*[!=]==\s*(\d+)\b/g },
  { name: 'a bare flag mask', re: /[&|]\s*(0x[0-9a-fA-F]+)\b/g },
  { name: 'a feature or flag compared with a bare number', re: /\b(?:feature|flags)\s*[!=]==\s*(\d+)\b/g },
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
        const n = m[1]!;
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
  ].join('\n');
  t.deepEqual(bareNumbers(sample), [
    '1: a case on a bare number (3)',
    '2: a command compared with a bare number (8)',
    '3: a bare flag mask (0x4)',
    '4: a feature or flag compared with a bare number (2)',
  ]);
});

for (const file of FILES) {
  test(`${file} names protocol numbers with the generated constants`, (t) => {
    const text = readFileSync(join(root, file), 'utf8');
    t.deepEqual(bareNumbers(text), []);
  });
}

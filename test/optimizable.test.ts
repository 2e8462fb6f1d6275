/**
 * V8 can optimize the codec's entry points. encodeInto, decode and
 * decodeMessage (the framer's decoder) are generated functions with every
 * body's code in its case (about 47, 36 and 36 KB of bytecode); V8 leaves a function above
 * --max-optimized-bytecode-size (60 KB) in the interpreter, where it runs
 * 5-20 times slower, and says nothing. A spec change that grows one past
 * the limit fails here instead of only in the benchmark. Each function is
 * called, marked with V8's test intrinsics, called again, and its status
 * read, in a child process.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const index = resolve(root, 'dist/src/index.js');
const constants = resolve(root, 'dist/src/constants.js');
const messages = resolve(root, 'dist/generated/ts/messages.js');

/** V8's %GetOptimizationStatus bit for optimized code (the same in Node 20 and 24). */
const OPTIMIZED = 1 << 4;

const probe = `
const m = await import(${JSON.stringify(index)});
const { decodeMessage } = await import(${JSON.stringify(messages)});
const { VFIO_USER_DEVICE_RESET } = await import(${JSON.stringify(constants)});
const message = m.command(VFIO_USER_DEVICE_RESET, 1, null);
const bytes = m.encode(message);
const target = new Uint8Array(64);
const options = m.resolveOptions();
// Each function, and a call that runs it.
const calls = {
  encodeInto: [m.encodeInto, () => m.encodeInto(message, target, 0)],
  encode: [m.encode, () => m.encode(message)],
  decode: [m.decode, () => m.decode(bytes)],
  decodeMessage: [decodeMessage, () => decodeMessage(new DataView(bytes.buffer), bytes.buffer, bytes.byteOffset, bytes.length, options)],
};
const status = {};
for (const [name, [fn, call]] of Object.entries(calls)) {
  %PrepareFunctionForOptimization(fn);
  call();
  call();
  %OptimizeFunctionOnNextCall(fn);
  call();
  status[name] = %GetOptimizationStatus(fn);
}
process.stdout.write(JSON.stringify(status));
`;

/** The optimization status of each entry point, V8 run with `flags`. */
function statuses(flags: readonly string[]): Record<string, number> {
  const r = spawnSync(process.execPath, ['--allow-natives-syntax', ...flags, '--input-type=module', '-e', probe], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`the probe failed (${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, number>;
}

test('V8 optimizes encodeInto, encode, decode and decodeMessage: the generated ones stay under the bytecode limit for optimizing', (t) => {
  const status = statuses([]);
  for (const name of ['encodeInto', 'encode', 'decode', 'decodeMessage']) t.true((status[name]! & OPTIMIZED) !== 0, `${name}: status ${status[name]!.toString(2)}`);
});

test('the check sees a function over the limit: with the limit below their sizes, the generated ones are not optimized', (t) => {
  const status = statuses(['--max-optimized-bytecode-size=20000']);
  for (const name of ['encodeInto', 'decode', 'decodeMessage']) t.is(status[name]! & OPTIMIZED, 0, `${name}: status ${status[name]!.toString(2)}`);
  t.not(status['encode']! & OPTIMIZED, 0, 'encode is small and still optimized');
});

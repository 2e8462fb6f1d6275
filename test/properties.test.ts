/**
 * The codec laws, as properties over messages generated from the spec
 * (test/helpers/arbitraries.ts):
 *
 * - decode(encode(m)) deep-equals m, and encodingLength(m) is the length;
 * - encode(decode(b)) equals b, for b produced by encoding a message, for
 *   every fixture's bytes, and for any mutated bytes decode accepts;
 * - random and mutated bytes make decode throw nothing but the package's
 *   own errors (VfioUserError subclasses), and decode still works after.
 *
 * Set FC_SEED to replay a run, FC_SCALE to multiply the number of runs.
 */
import assert from 'node:assert/strict';
import test from 'ava';
import fc from 'fast-check';
import { holds } from './helpers/property.js';
import { commands } from '../spec/commands.js';
import { dialects } from '../spec/dialects.js';
import { fixtures } from '../spec/fixtures/index.js';
import type { Message } from '../generated/ts/messages.js';
import { decode, encode, encodingLength } from '../src/codec.js';
import { VfioUserEncodeError, VfioUserError } from '../src/errors.js';
import type { CodecOptions, DialectName, Limits } from '../src/options.js';
import { errorMessageArb, messageArb, mutatedArb, randomBytesArb } from './helpers/arbitraries.js';
import { bytesToHex, fixtureBytes, fixtureOptions, normalize } from './helpers/fixture.js';

const seed = process.env['FC_SEED'];
if (seed !== undefined && seed !== '') fc.configureGlobal({ seed: Number(seed) });

/** Multiplies every numRuns; FC_SCALE=20 for a long hunt. */
const SCALE = Number(process.env['FC_SCALE'] ?? '1') || 1;
/** Runs per round-trip property (56 of them). */
const RUNS = 150 * SCALE;
/** Runs of the byte-robustness properties. */
const BYTE_RUNS = 3000 * SCALE;

function roundTrip(m: Message, opt: CodecOptions): void {
  const bytes = encode(m, opt);
  assert.equal(encodingLength(m, opt), bytes.length, 'encodingLength');
  assert.equal(new DataView(bytes.buffer).getUint32(4, true), bytes.length, 'msg_size');
  const decoded = decode(bytes, opt);
  assert.deepStrictEqual(normalize(decoded), normalize(m), 'decode(encode(m)) equals m');
  assert.equal(bytesToHex(encode(decoded, opt)), bytesToHex(bytes), 'encode(decode(b)) equals b');
}

for (const c of commands) {
  for (const kind of ['command', 'reply'] as const) {
    test(`${c.name} (${c.cmd}) ${kind}: decode(encode(m)) = m, encode(decode(b)) = b`, (t) => {
      holds(
        t,
        fc.property(messageArb(c.cmd, kind), (m) => roundTrip(m, { drafts: true })),
        { numRuns: RUNS },
      );
    });
  }
}

for (const d of dialects) {
  for (const o of d.overrides) {
    const kind = o.message === 'request' ? 'command' : 'reply';
    test(`${d.name} dialect, command ${o.cmd} ${kind}: decode(encode(m)) = m, encode(decode(b)) = b`, (t) => {
      const opt: CodecOptions = { dialect: d.name as DialectName };
      holds(
        t,
        fc.property(messageArb(o.cmd, kind, d.name), (m) => roundTrip(m, opt)),
        { numRuns: RUNS },
      );
    });
  }
}

test('error replies of any command number: decode(encode(m)) = m, encode(decode(b)) = b', (t) => {
  holds(
    t,
    fc.property(errorMessageArb, fc.constantFrom<DialectName>('default', 'libvfio-user', 'qemu'), (m, dialect) => roundTrip(m, { dialect })),
    { numRuns: 300 * SCALE },
  );
});

const seeds = fixtures.map((f) => ({ f, bytes: fixtureBytes(f), opt: fixtureOptions(f), expected: normalize(f.message) }));
const seedBytes = seeds.map((s) => s.bytes);

test('fixture bytes: encode(decode(b)) = b for every fixture', (t) => {
  holds(
    t,
    fc.property(fc.constantFrom(...seeds), ({ bytes, opt }) => {
      assert.equal(bytesToHex(encode(decode(bytes, opt), opt)), bytesToHex(bytes));
    }),
    { numRuns: seeds.length * 2 },
  );
});

/** Options decode is called with on hostile input: any dialect, unknown commands on or off, sometimes tight limits. */
const hostileOptions: fc.Arbitrary<CodecOptions> = fc
  .record({
    dialect: fc.constantFrom<DialectName>('default', 'libvfio-user', 'qemu'),
    allowUnknownCommands: fc.boolean(),
    drafts: fc.boolean(),
    tight: fc.boolean(),
  })
  .map(({ dialect, allowUnknownCommands, drafts, tight }) => {
    const limits: Partial<Limits> = { maxMessageSize: 256, maxDataXferSize: 8, maxJsonBytes: 64, maxJsonDepth: 2, maxRegionCaps: 1, maxSparseAreas: 1, maxSubRegions: 1, maxBitmapBytes: 8, maxLoggingRanges: 1, maxWriteMultiEntries: 1, maxIrqVectors: 1, maxErrorNo: 22 };
    return tight ? { dialect, allowUnknownCommands, drafts, limits } : { dialect, allowUnknownCommands, drafts };
  });

/**
 * Decodes hostile bytes. Only the package's decode errors may escape, never
 * an encode error or a foreign exception; what decodes must re-encode to the
 * same bytes. Returns the error code, or 'ok'.
 */
function decodeHostile(bytes: Uint8Array, opt: CodecOptions): string {
  let decoded: Message;
  try {
    decoded = decode(bytes, opt);
  } catch (e) {
    if (!(e instanceof VfioUserError) || e instanceof VfioUserEncodeError) {
      throw new Error(`decode threw a foreign error on ${bytesToHex(bytes)}: ${String(e)}`, { cause: e });
    }
    assert.equal(typeof e.code, 'string');
    assert.ok(Number.isInteger(e.offset) && e.offset >= 0, `offset ${e.offset} of ${e.code}`);
    return e.code;
  }
  assert.equal(bytesToHex(encode(decoded, opt)), bytesToHex(bytes), 'what decodes re-encodes to the same bytes');
  return 'ok';
}

function tally(counts: Map<string, number>, code: string): void {
  counts.set(code, (counts.get(code) ?? 0) + 1);
}

function summary(counts: Map<string, number>): string {
  return [...counts].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ');
}

test('mutated fixture bytes: decode throws only VfioUserError, accepted bytes re-encode exactly, and a valid fixture still decodes after', (t) => {
  const counts = new Map<string, number>();
  holds(
    t,
    fc.property(mutatedArb(seedBytes), hostileOptions, fc.boolean(), ({ seed: i, bytes }, hostile, ownDialect) => {
      const s = seeds[i]!;
      const opt = ownDialect && hostile.limits === undefined ? s.opt : hostile;
      tally(counts, decodeHostile(bytes, opt));
      // The decoder keeps no state: the untouched fixture still decodes to its message.
      assert.deepStrictEqual(normalize(decode(s.bytes, s.opt)), s.expected);
    }),
    { numRuns: BYTE_RUNS },
  );
  t.log(summary(counts));
});

test('random bytes: decode throws only VfioUserError, accepted bytes re-encode exactly, and a valid fixture still decodes after', (t) => {
  const counts = new Map<string, number>();
  holds(
    t,
    fc.property(randomBytesArb, hostileOptions, fc.integer({ min: 0, max: seeds.length - 1 }), (bytes, opt, i) => {
      tally(counts, decodeHostile(bytes, opt));
      const s = seeds[i]!;
      assert.deepStrictEqual(normalize(decode(s.bytes, s.opt)), s.expected);
    }),
    { numRuns: BYTE_RUNS },
  );
  t.log(summary(counts));
});

test('bytes encoded from generated messages, then mutated: only VfioUserError, and accepted bytes re-encode exactly', (t) => {
  const kinds = commands.flatMap((c) => [messageArb(c.cmd, 'command'), messageArb(c.cmd, 'reply')]);
  const encoded = fc.oneof(...kinds).map((m) => encode(m, { drafts: true }));
  const counts = new Map<string, number>();
  holds(
    t,
    fc.property(
      encoded.chain((b) => mutatedArb([b])),
      hostileOptions,
      ({ bytes }, opt) => {
        tally(counts, decodeHostile(bytes, opt));
      },
    ),
    { numRuns: 1500 * SCALE },
  );
  t.log(summary(counts));
});

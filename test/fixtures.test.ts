/**
 * The one harness that runs every fixture of the catalogue (spec/fixtures):
 * decode -> the fixture's message; encode -> the exact bytes; encodeInto at
 * a non-zero offset; decode from a subarray with a non-zero byteOffset;
 * encodingLength agrees; tails are views into the input, never copies.
 */
import test, { type ExecutionContext } from 'ava';
import { fixtures, invalidFixtures } from '../spec/fixtures/index.js';
import { iommufdSequence } from '../spec/fixtures/iommufd.js';
import { dialects } from '../spec/dialects.js';
import type { FixtureSpec } from '../spec/types.js';
import type { Message } from '../generated/ts/messages.js';
import { decode, encode, encodeInto, encodingLength } from '../src/codec.js';
import { byteTails, bytesToHex, embed, fixtureBytes, fixtureOptions, hexToBytes, materialize, normalize } from './helpers/fixture.js';
import { throwsCode } from './helpers/errors.js';
import { FrameDecoder, type DialectName, type ErrorCode } from '../src/index.js';

const COMMANDS = Array.from({ length: 26 }, (_, i) => i + 1);

/** Every byte tail of `decoded` must be a view into `input`'s bytes. */
function assertViews(t: ExecutionContext, decoded: Message, input: Uint8Array, what: string): void {
  for (const { path, bytes } of byteTails(decoded)) {
    t.is(bytes.buffer, input.buffer, `${what}: ${path} is a view into the input's buffer`);
    t.true(
      bytes.byteOffset >= input.byteOffset && bytes.byteOffset + bytes.length <= input.byteOffset + input.length,
      `${what}: ${path} lies within the input`,
    );
  }
}

function runFixture(t: ExecutionContext, f: FixtureSpec): void {
  const opt = fixtureOptions(f);
  const bytes = fixtureBytes(f);
  const expected = normalize(f.message);
  const hex = bytesToHex(bytes);

  // The bytes are self-consistent: msg_size is their length.
  t.true(bytes.length >= 16, 'at least a header');
  t.is(new DataView(bytes.buffer).getUint32(4, true), bytes.length, 'msg_size equals the number of bytes');

  // decode -> fields
  const decoded = decode(bytes, opt);
  t.deepEqual(normalize(decoded), expected, 'decode gives the fixture\'s message');
  assertViews(t, decoded, bytes, 'decode');

  // encode -> exact bytes, from the fixture's message and from the decoded one
  const message = materialize(f.message) as Message;
  t.is(bytesToHex(encode(message, opt)), hex, 'encode(fixture message) gives the exact bytes');
  t.is(bytesToHex(encode(decoded, opt)), hex, 'encode(decode(bytes)) gives the exact bytes');

  // encodingLength agrees
  t.is(encodingLength(message, opt), bytes.length, 'encodingLength(fixture message)');
  t.is(encodingLength(decoded, opt), bytes.length, 'encodingLength(decoded)');

  // encodeInto at a non-zero offset of a larger target that is itself a subarray
  const backing = new Uint8Array(bytes.length + 20).fill(0xee);
  const target = backing.subarray(3);
  const offset = 5;
  const written = encodeInto(message, target, offset, opt);
  t.is(written, bytes.length, 'encodeInto returns the length');
  t.is(bytesToHex(target.subarray(offset, offset + written)), hex, 'encodeInto writes the bytes at the offset');
  t.true(
    backing.subarray(0, 3 + offset).every((b) => b === 0xee) && backing.subarray(3 + offset + written).every((b) => b === 0xee),
    'encodeInto writes nothing outside the message',
  );

  // decode from a subarray with a non-zero byteOffset in a bigger buffer
  const inner = embed(bytes, 7);
  t.is(inner.byteOffset, 7);
  const again = decode(inner, opt);
  t.deepEqual(normalize(again), expected, 'decode at byteOffset 7 gives the same message');
  assertViews(t, again, inner, 'decode at byteOffset 7');
  t.is(bytesToHex(encode(again, opt)), hex, 're-encoding the offset decode gives the bytes');
}

for (const f of fixtures) {
  test(f.name, (t) => runFixture(t, f));
}

test('every command 1..26 has a command, a reply and an error fixture', (t) => {
  const missing: string[] = [];
  for (const cmd of COMMANDS) {
    for (const kind of ['command', 'reply', 'error']) {
      if (!fixtures.some((f) => f.message['cmd'] === cmd && f.message['kind'] === kind)) missing.push(`${cmd} ${kind}`);
    }
  }
  t.deepEqual(missing, []);
});

test('fixture names are unique and kebab-case', (t) => {
  const seen = new Set<string>();
  const duplicates: string[] = [];
  for (const f of fixtures) {
    if (seen.has(f.name)) duplicates.push(f.name);
    seen.add(f.name);
    t.regex(f.name, /^[a-z0-9]+(?:-[a-z0-9]+)*$/, `${f.name} is kebab-case`);
  }
  t.deepEqual(duplicates, []);
});

test('every fixture is literate: a doc, commented byte groups, a known dialect, an fd count', (t) => {
  const dialectNames = new Set(dialects.map((d) => d.name));
  for (const f of fixtures) {
    t.true(f.doc.trim().length > 0, `${f.name}: doc`);
    t.true(f.bytes.length > 0, `${f.name}: bytes`);
    for (const [comment, hex] of f.bytes) {
      t.true(comment.trim().length > 0, `${f.name}: every byte group has a comment`);
      t.regex(hex, /^[0-9a-f]{2}(?: [0-9a-f]{2})*$/, `${f.name}: "${comment}" is lower-case hex bytes separated by single spaces`);
    }
    if (f.dialect !== undefined) t.true(dialectNames.has(f.dialect), `${f.name}: dialect ${f.dialect}`);
    t.true(Number.isInteger(f.fds) && f.fds >= 0, `${f.name}: fds`);
    if (f.message['kind'] === 'error') t.is(f.fds, 0, `${f.name}: error replies carry no fds`);
  }
});

test('the iommufd sequence: VERSION, BIND, ALLOC_IOAS, ATTACH_PT, IOAS_MAP, IOAS_UNMAP, DETACH_PT, DESTROY_IOAS with consecutive msg_ids', (t) => {
  const byName = new Map(fixtures.map((f) => [f.name, f]));
  const steps = iommufdSequence.map((name) => {
    const f = byName.get(name);
    if (f === undefined) throw new Error(`no fixture ${name}`);
    return f;
  });
  t.deepEqual(
    steps.map((f) => f.message['cmd']),
    [1, 1, 24, 24, 19, 19, 25, 25, 21, 21, 22, 22, 26, 26, 20, 20],
  );
  t.deepEqual(
    steps.map((f) => f.message['kind']),
    steps.map((_, i) => (i % 2 === 0 ? 'command' : 'reply')),
  );
  const first = steps[0]?.message['msg_id'] as number;
  t.deepEqual(
    steps.map((f) => f.message['msg_id']),
    steps.map((_, i) => first + Math.floor(i / 2)),
  );
  t.deepEqual(
    steps.map((f) => f.fds),
    [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0],
    'only IOAS_MAP carries an fd',
  );
  const version = decode(fixtureBytes(steps[1]!));
  t.true(version.kind === 'reply' && version.cmd === 1 && version.body.json?.capabilities?.iommufd?.supported === true, 'the server echoed iommufd');
});

for (const f of invalidFixtures) {
  test(`invalid: ${f.name} is refused with ${f.error.code} at offset ${f.error.offset}`, (t) => {
    const bytes = hexToBytes(f.bytes.map(([, h]) => h).join(''));
    const opt = f.dialect === undefined ? {} : { dialect: f.dialect as DialectName };
    const e = throwsCode(t, () => decode(bytes, opt), f.error.code as ErrorCode);
    t.is(e.offset, f.error.offset);
    // Through the framer: the same error, its fds handed back, and the stream goes on.
    const d = new FrameDecoder(opt);
    const fds = Array.from({ length: f.fds }, (_, i) => 100 + i);
    d.push(bytes, fds);
    const fe = throwsCode(t, () => d.next(), f.error.code as ErrorCode);
    t.deepEqual(fe.fds, fds);
    t.false(fe.fatal);
    t.is(d.next(), null);
  });
}

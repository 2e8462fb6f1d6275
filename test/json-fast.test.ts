/**
 * The JSON fast paths (parseJsonFast, and parseVersionJson's own) against
 * the full parser: wherever the fast path answers, it answers exactly what
 * the full parser returns; wherever the full parser refuses, the fast path
 * does not answer; and parseVersionJson gives the same value or the same
 * error (code and offset) as parseVersionJsonFull on every input.
 */
import assert from 'node:assert/strict';
import test from 'ava';
import fc from 'fast-check';
import { parseVersionJson, parseVersionJsonFull } from '../src/capabilities.js';
import { VfioUserError } from '../src/errors.js';
import { JsonKeyTable, parseJson, parseJsonFast, stringifyJson, type JsonValue } from '../src/json.js';
import { readVersionFast } from '../src/version-json.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const LIMITS = { maxJsonDepth: 32 };
const VERSION_LIMITS = { maxJsonDepth: 32, maxJsonBytes: 65536 };
const BASE = 20;

type Outcome = { value: unknown } | { code: string; offset: number };

function outcome(f: () => unknown): Outcome {
  try {
    return { value: f() };
  } catch (e) {
    if (!(e instanceof VfioUserError)) throw e;
    return { code: e.code, offset: e.offset };
  }
}

/** Checks fast against full on one text; returns whether the fast path answered. */
function agree(bytes: Uint8Array, limits = LIMITS, keys?: JsonKeyTable): boolean {
  const fast = parseJsonFast(bytes, limits, keys);
  const full = outcome(() => parseJson(bytes, 0, limits));
  if (fast === undefined) return false;
  assert.ok('value' in full, `the fast path answered where the full parser refused (${'code' in full ? full.code : ''})`);
  assert.deepStrictEqual(fast, full.value);
  return true;
}

/** Checks parseVersionJson against parseVersionJsonFull on one body. */
function agreeVersion(bytes: Uint8Array): Outcome {
  const fast = outcome(() => parseVersionJson(bytes, BASE, VERSION_LIMITS));
  const full = outcome(() => parseVersionJsonFull(bytes, BASE, VERSION_LIMITS));
  assert.deepStrictEqual(fast, full);
  return full;
}

const withNul = (text: string): Uint8Array => utf8(`${text}\0`);

test('the fast path answers the VERSION texts seen in practice, with the full parser\'s values', (t) => {
  const texts = [
    '{"capabilities":{"max_msg_fds":8,"max_data_xfer_size":1048576,"migration":{"pgsize":4096},"twin_socket":{"supported":true},"iommufd":{"supported":true}}}',
    '{"capabilities":{"max_msg_fds":8,"max_data_xfer_size":1048576,"pgsizes":4096,"iommufd":{"supported":true}}}',
    '{ "capabilities" : { "max_msg_fds" : 1 , "migration" : { "pgsize" : 4096 } } }\n',
    '{"capabilities"\t:\r{}}',
    '{"capabilities":{"x-vendor":[1,-2,null,false,"text",{}],"__proto__":{"a":0},"constructor":-0}}',
  ];
  for (const text of texts) {
    t.true(agree(utf8(text)), text);
    const v = agreeVersion(withNul(text));
    t.true('value' in v, text);
  }
});

test('the strict VERSION path reads the texts real peers send, with the full parser\'s values, and gives up on the rest', (t) => {
  const taken = [
    '{"capabilities":{"max_msg_fds":8,"max_data_xfer_size":1048576,"migration":{"pgsize":4096},"twin_socket":{"supported":true},"iommufd":{"supported":true}}}',
    '{"capabilities":{"max_msg_fds":8,"max_data_xfer_size":1048576,"pgsizes":4096,"iommufd":{"supported":true}}}',
    '{ "capabilities" : { "max_msg_fds" : 1 , "migration" : { "pgsize" : 4096 } } }\n',
    '{"capabilities"\t:\r{}}',
    '{}',
  ];
  for (const text of taken) {
    const bytes = withNul(text);
    const strict = readVersionFast(bytes, bytes.length - 1, VERSION_LIMITS.maxJsonDepth);
    t.not(strict, undefined, text);
    t.deepEqual(strict, parseVersionJsonFull(bytes, BASE, VERSION_LIMITS), text);
  }
  const left = [
    '{"capabilities":{"x-vendor":1}}',
    '{"capabilities":{"max_msg_fds":1,"max_msg_fds":2}}',
    '{"capabilities":{"max_msg_fds":-0}}',
    '{"capabilities":{"max_msg_fds":-1}}',
    '{"capabilities":{"max_msg_fds":1.5}}',
    '{"capabilities":{"max_msg_fds":1e3}}',
    '{"capabilities":{"max_msg_fds":1234567890123456}}',
    '{"capabilities":{"max_msg_fds":"8"}}',
    '{"capabilities":{"max_msg\\u005ffds":8}}',
    '{"capabilities":{"iommufd":{"supported":tru}}}',
    '{"capabilities":{}}x',
    '{"capabilities":{},}',
    '{"capabilities":{}\u0000}',
  ];
  for (const text of left) {
    const bytes = withNul(text);
    t.is(readVersionFast(bytes, bytes.length - 1, VERSION_LIMITS.maxJsonDepth), undefined, text);
    agreeVersion(bytes);
  }
  // Deeper than maxJsonDepth: the full parser reports it.
  const deep = withNul('{"capabilities":{"migration":{}}}');
  t.is(readVersionFast(deep, deep.length - 1, 2), undefined);
});

test('the fast path leaves to the full parser what it does not take, and the results still agree', (t) => {
  const cases = [
    '{"a":1,"a":2}', // duplicate key
    '{"__proto__":1,"__proto__":2}',
    '{"a":"\\u0041"}', // escape
    '{"a":"\u00e9"}', // non-ASCII
    '{"a":1.5}', // fraction
    '{"a":1e3}', // exponent
    '{"a":18446744073709551616}', // big integer: a bigint
    '{"a":9007199254740993}',
    '{"a":0123}', // leading zero
    '{"a":1,}', // trailing comma
    '\ufeff{}', // byte order mark
    '{"a":"\x01"}', // control character
    '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]', // 33 deep
  ];
  for (const text of cases) {
    t.false(agree(utf8(text)), text);
    agreeVersion(withNul(`{"capabilities":{"x":${text}}}`));
  }
  // Invalid UTF-8 and a lone continuation byte.
  for (const bytes of [new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc0, 0x80, 0x22, 0x7d]), new Uint8Array([0x22, 0x80, 0x22])]) {
    t.false(agree(bytes));
  }
  t.is(parseJson(utf8('{"a":18446744073709551616}'), 0, LIMITS) !== null, true);
  t.deepEqual((parseVersionJson(withNul('{"capabilities":{"n":18446744073709551616}}'), BASE, VERSION_LIMITS).capabilities?.extra ?? {})['n'], 18446744073709551616n);
});

test('a duplicate key, a value of the wrong type and too deep a nesting are refused with the full parser\'s codes and offsets', (t) => {
  const dup = agreeVersion(withNul('{"capabilities":{"max_msg_fds":1,"max_msg_fds":2}}'));
  t.true('code' in dup && dup.code === 'ERR_JSON_DUPLICATE_KEY');
  const type = agreeVersion(withNul('{"capabilities":{"max_msg_fds":true}}'));
  t.true('code' in type && type.code === 'ERR_CAPS_TYPE');
  const range = agreeVersion(withNul('{"capabilities":{"max_msg_fds":-1}}'));
  t.true('code' in range && range.code === 'ERR_CAPS_TYPE');
  const deep = outcome(() => parseVersionJson(withNul('{"capabilities":{"migration":{}}}'), BASE, { maxJsonDepth: 2, maxJsonBytes: 65536 }));
  t.deepEqual(deep, outcome(() => parseVersionJsonFull(withNul('{"capabilities":{"migration":{}}}'), BASE, { maxJsonDepth: 2, maxJsonBytes: 65536 })));
  t.true('code' in deep && deep.code === 'ERR_LIMIT');
});

test('known keys come back as the table\'s strings, unknown ones decoded, both equal to the full parser\'s', (t) => {
  const keys = new JsonKeyTable(['capabilities', 'max_msg_fds']);
  const text = utf8('{"capabilities":{"max_msg_fds":1,"max_msg_fdz":2,"max_msg_fd":3}}');
  t.true(agree(text, LIMITS, keys));
  t.deepEqual(Object.keys((parseJsonFast(text, LIMITS, keys) as Record<string, Record<string, unknown>>)['capabilities']!), ['max_msg_fds', 'max_msg_fdz', 'max_msg_fd']);
});

const jsonArb: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 4 },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.maxSafeInteger(),
    fc.constantFrom(0, -0, 999999999999999, 1000000000000000, -999999999999999, 9007199254740991),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.bigInt({ min: 2n ** 53n, max: 2n ** 70n }),
    fc.string({ maxLength: 8 }),
    fc.string({ unit: 'binary', maxLength: 4 }),
    fc.constantFrom('__proto__', 'constructor', 'capabilities', 'max_msg_fds', ''),
    fc.array(tie('value'), { maxLength: 3 }),
    fc
      .uniqueArray(fc.tuple(fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('__proto__', 'toString', '0', '1', 'pgsize')), tie('value')), {
        selector: (e) => e[0],
        maxLength: 4,
      })
      .map((entries) => {
        const o = Object.create(null) as Record<string, JsonValue>;
        for (const [k, v] of entries) o[k] = v;
        return o;
      }),
  ),
})).value;

test('property: on stringified values the fast path gives what parseJson gives, or leaves the text to it', (t) => {
  let answered = 0;
  let runs = 0;
  fc.assert(
    fc.property(jsonArb, fc.constantFrom(undefined, 1, '\t'), (value, space) => {
      runs++;
      const compact = stringifyJson(value);
      const text = space === undefined ? compact : JSON.stringify(JSON.parse(compact), null, space);
      if (agree(utf8(compact))) answered++;
      agree(utf8(text));
    }),
    { numRuns: 2000 },
  );
  t.is(runs, 2000);
  // ASCII text without escapes or fractions is common in these values: the fast path must have been taken often.
  t.true(answered > 200, `fast path answered ${answered} of ${runs}`);
});

test('property: on mutated, cut and random bytes the fast path never answers where parseJson refuses, nor differs from it', (t) => {
  const mutation = fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'insert', 'delete', 'cut'));
  let refused = 0;
  fc.assert(
    fc.property(jsonArb, fc.array(mutation, { minLength: 1, maxLength: 3 }), (value, edits) => {
      let bytes = Array.from(utf8(stringifyJson(value)));
      for (const [at, byte, op] of edits) {
        const i = bytes.length === 0 ? 0 : at % (bytes.length + (op === 'insert' ? 1 : 0));
        if (op === 'set' && bytes.length > 0) bytes[i] = byte;
        else if (op === 'insert') bytes.splice(i, 0, byte);
        else if (op === 'delete') bytes.splice(i, 1);
        else bytes = bytes.slice(0, i);
      }
      const input = new Uint8Array(bytes);
      if (!agree(input) && 'code' in outcome(() => parseJson(input, 0, LIMITS))) refused++;
    }),
    { numRuns: 3000 },
  );
  fc.assert(fc.property(fc.uint8Array({ maxLength: 48 }), (bytes) => void agree(bytes)), { numRuns: 2000 });
  t.true(refused > 100, `${refused} refused inputs`);
});

const capValueArb = fc.oneof(
  fc.constantFrom('0', '1', '8', '-1', '4096', '1048576', '1e3', '1.0', '01', '9007199254740993', 'true', 'false', 'null', '"x"', '"\\u0031"', '[]', '[1,{}]', '{}'),
  fc.constantFrom('{"pgsize":4096}', '{"pgsize":4096,"pgsize":1}', '{"supported":true}', '{"supported":1}', '{"supported":true,"fixed_iova":false,"x":[]}', '{"__proto__":{}}'),
);
const capKeyArb = fc.constantFrom(
  'max_msg_fds',
  'max_data_xfer_size',
  'max_dma_maps',
  'pgsizes',
  'migration',
  'twin_socket',
  'write_multiple',
  'iommufd',
  'extra',
  '__proto__',
  'constructor',
  '0',
  'x-vendor',
  'max_msg_fd',
);

test('property: parseVersionJson (fast path) and parseVersionJsonFull give the same value or the same error', (t) => {
  const memberArb = fc.tuple(capKeyArb, capValueArb, fc.constantFrom('', ' ', '\n')).map(([k, v, ws]) => `${ws}"${k}"${ws}:${ws}${v}`);
  const textArb = fc.tuple(fc.array(memberArb, { maxLength: 6 }), fc.constantFrom('capabilities', 'capabilitiez', '__proto__')).map(([members, root]) => `{"${root}":{${members.join(',')}}}`);
  const seen = new Set<string>();
  fc.assert(
    fc.property(textArb, fc.option(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { nil: undefined }), (text, edit) => {
      const bytes = withNul(text);
      if (edit !== undefined) bytes[edit[0] % bytes.length] = edit[1];
      const o = agreeVersion(bytes);
      seen.add('code' in o ? o.code : 'value');
    }),
    { numRuns: 3000 },
  );
  // Both branches were exercised: values and several refusals.
  t.true(seen.has('value'));
  t.true(seen.has('ERR_JSON_DUPLICATE_KEY'));
  t.true(seen.has('ERR_CAPS_TYPE'));
  t.true(seen.size >= 4, [...seen].join(' '));
});

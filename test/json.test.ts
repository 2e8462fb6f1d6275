import assert from 'node:assert/strict';
import test from 'ava';
import fc from 'fast-check';
import { holds } from './helpers/property.js';
import { VfioUserEncodeError, VfioUserError, VfioUserInvalidError, VfioUserLimitError } from '../src/errors.js';
import { parseJson, parseJsonLocated, stringifyJson, type JsonObject, type JsonValue } from '../src/json.js';
import { expectInvalid, prototypeSnapshot } from './helpers/errors.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const LIMITS = { maxJsonDepth: 32 };
const BIG = { maxJsonDepth: 1_000_000 };
const parse = (text: string, base = 0, limits = LIMITS): JsonValue => parseJson(utf8(text), base, limits);



/** A value with plain objects, -0 and bigints turned into what JSON.parse would give. */
function toPlain(value: JsonValue): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(toPlain);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      Object.defineProperty(out, key, { value: toPlain(value[key]!), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

function hasNonFinite(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (value !== null && typeof value === 'object') return Object.values(value).some(hasNonFinite);
  return false;
}

function depthOf(value: JsonValue): number {
  let depth = 0;
  let v: JsonValue | undefined = value;
  while (Array.isArray(v)) {
    depth++;
    v = v[0];
  }
  return depth;
}

// ---------------------------------------------------------------- basics

test('parses every JSON type', (t) => {
  const v = parse(' { "a" : [ 1 , -2.5 , 3e2 , true , false , null , "x" ] , "b" : { } , "c" : [ ] } ');
  t.deepEqual(toPlain(v), { a: [1, -2.5, 300, true, false, null, 'x'], b: {}, c: [] });
});

test('scalars at the top level', (t) => {
  t.is(parse('0'), 0);
  t.is(parse('-0'), -0);
  t.is(parse('true'), true);
  t.is(parse('false'), false);
  t.is(parse('null'), null);
  t.is(parse('"s"'), 's');
  t.is(parse('1.5E-3'), 0.0015);
  t.is(parse('\t\r\n 7 \n'), 7);
});

test('objects have a null prototype and keep key order', (t) => {
  const v = parse('{"z":1,"a":2,"m":{"q":3}}') as JsonObject;
  t.is(Object.getPrototypeOf(v), null);
  t.is(Object.getPrototypeOf(v['m']), null);
  t.deepEqual(Object.keys(v), ['z', 'a', 'm']);
});

test('string escapes', (t) => {
  t.is(parse(String.raw`"\" \\ \/ \b \f \n \r \t \u0041 \u00e9 \uD83D\uDE00"`), '" \\ / \b \f \n \r \t A \u00e9 \u{1F600}');
});

test('literal UTF-8 in strings, including U+FEFF at the start of a string', (t) => {
  t.is(parse('"h\u00e9\u4e16\u{1F600}"'), 'h\u00e9\u4e16\u{1F600}');
  t.is(parse('"\uFEFFx"'), '\uFEFFx');
  t.deepEqual(parse('["a","\uFEFF"]'), ['a', '\uFEFF']);
});

test('lone surrogate escapes are accepted as lone UTF-16 code units', (t) => {
  t.is(parse(String.raw`"\ud800"`), '\ud800');
  t.is(parse(String.raw`"\udc00x\ud800"`), '\udc00x\ud800');
});

// ---------------------------------------------------------------- hostile keys

test('__proto__ key is an own property and Object.prototype is untouched', (t) => {
  const before = prototypeSnapshot();
  const v = parse('{"__proto__":{"polluted":true},"a":{"__proto__":1}}') as JsonObject;
  t.true(Object.hasOwn(v, '__proto__'));
  t.is(Object.getPrototypeOf(v), null);
  t.deepEqual(Object.keys(v), ['__proto__', 'a']);
  t.true(Object.hasOwn(v['__proto__'] as JsonObject, 'polluted'));
  t.is((v['a'] as JsonObject)['__proto__'], 1);
  t.is(({} as Record<string, unknown>)['polluted'], undefined);
  t.deepEqual(prototypeSnapshot(), before);
});

test('constructor key is an own property and Object.prototype is untouched', (t) => {
  const before = prototypeSnapshot();
  const v = parse('{"constructor":{"prototype":{"polluted":true}},"toString":1,"hasOwnProperty":2}') as JsonObject;
  t.deepEqual(Object.keys(v), ['constructor', 'toString', 'hasOwnProperty']);
  t.is(v['toString'], 1);
  t.is(typeof Object.prototype.toString, 'function');
  t.is(({} as Record<string, unknown>)['polluted'], undefined);
  t.deepEqual(prototypeSnapshot(), before);
});

// ---------------------------------------------------------------- depth

test('nesting depth 10,000 of [ is ERR_LIMIT without a stack overflow', (t) => {
  const error = t.throws(() => parse('['.repeat(10_000), 7), { instanceOf: VfioUserLimitError });
  t.is(error.code, 'ERR_LIMIT');
  t.is(error.details.limitName, 'maxJsonDepth');
  t.is(error.details.limit, 32);
  t.is(error.offset, 7 + 32);
});

test('nesting depth 10,000 of objects is ERR_LIMIT', (t) => {
  const error = t.throws(() => parse('{"a":'.repeat(10_000)), { instanceOf: VfioUserLimitError });
  t.is(error.code, 'ERR_LIMIT');
  t.is(error.details.limitName, 'maxJsonDepth');
});

test('nesting depth 10,000 within a large limit parses and writes back without recursion', (t) => {
  const text = '['.repeat(10_000) + ']'.repeat(10_000);
  const v = parse(text, 0, BIG);
  t.is(depthOf(v), 10_000);
  t.is(stringifyJson(v), text);
});

test('maxJsonDepth: depth 32 passes, 33 is ERR_LIMIT', (t) => {
  t.is(depthOf(parse('['.repeat(32) + ']'.repeat(32))), 32);
  const error = t.throws(() => parse('['.repeat(33) + ']'.repeat(33)), { instanceOf: VfioUserLimitError });
  t.is(error.code, 'ERR_LIMIT');
  t.is(error.details.value, 33);
  t.is(error.offset, 32);
});

test('maxJsonDepth counts objects and arrays alike and includes empty containers', (t) => {
  t.notThrows(() => parse('{"a":[{}]}', 0, { maxJsonDepth: 3 }));
  const error = t.throws(() => parse('{"a":[{"b":[]}]}', 0, { maxJsonDepth: 3 }), { instanceOf: VfioUserLimitError });
  t.is(error.offset, 11);
  t.is(parse('5', 0, { maxJsonDepth: 0 }), 5);
  t.throws(() => parse('[]', 0, { maxJsonDepth: 0 }), { instanceOf: VfioUserLimitError });
});

// ---------------------------------------------------------------- numbers

test('integer 2^64 is kept exact as a bigint', (t) => {
  t.is(parse('18446744073709551616'), 18446744073709551616n);
  t.is(parse('-18446744073709551616'), -18446744073709551616n);
  t.deepEqual(parse('[18446744073709551617]'), [18446744073709551617n]);
});

test('safe-integer boundary: 2^53-1 is a number, 2^53 a bigint', (t) => {
  t.is(parse('9007199254740991'), 9007199254740991);
  t.is(parse('-9007199254740991'), -9007199254740991);
  t.is(parse('9007199254740992'), 9007199254740992n);
  t.is(parse('9007199254740993'), 9007199254740993n);
  t.is(parse('-9007199254740992'), -9007199254740992n);
});

test('numbers with a fraction or exponent are JS numbers', (t) => {
  t.is(parse('18446744073709551616.0'), 18446744073709551616);
  t.is(parse('1e3'), 1000);
  t.is(parse('1.7976931348623157e308'), Number.MAX_VALUE);
  t.is(parse('1e-400'), 0);
});

test('a number that overflows a double is ERR_JSON_SYNTAX', (t) => {
  expectInvalid(t, () => parse('[1e400]', 10), 'ERR_JSON_SYNTAX', 11);
  expectInvalid(t, () => parse('-1.5e999'), 'ERR_JSON_SYNTAX', 0);
});

// ---------------------------------------------------------------- UTF-8

test('invalid UTF-8 is ERR_JSON_UTF8 at the bad sequence', (t) => {
  const cases: [number[], number][] = [
    [[0x22, 0x61, 0xff, 0x22], 2],
    [[0x22, 0x80, 0x22], 1],
    [[0x22, 0xc0, 0x80, 0x22], 1],
    [[0x22, 0xe0, 0x80, 0x80, 0x22], 1],
    [[0x22, 0xed, 0xa0, 0x80, 0x22], 1],
    [[0x22, 0xf4, 0x90, 0x80, 0x80, 0x22], 1],
    [[0x22, 0xf5, 0x80, 0x80, 0x80, 0x22], 1],
    [[0x22, 0x61, 0x62, 0xe2, 0x82], 3],
    [[0x7b, 0x22, 0x6b, 0x22, 0x3a, 0xc3], 5],
  ];
  for (const [bytes, offset] of cases) {
    const error = t.throws(() => parseJson(new Uint8Array(bytes), 100, LIMITS), { instanceOf: VfioUserInvalidError });
    t.is(error.code, 'ERR_JSON_UTF8');
    t.is(error.offset, 100 + offset);
  }
});

test('a leading byte order mark is ERR_JSON_SYNTAX', (t) => {
  expectInvalid(t, () => parseJson(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), 4, LIMITS), 'ERR_JSON_SYNTAX', 4);
});

// ---------------------------------------------------------------- duplicates

test('a duplicate key is ERR_JSON_DUPLICATE_KEY at the second key', (t) => {
  const error = expectInvalid(t, () => parse('{"a":1,"b":2,"a":3}', 20), 'ERR_JSON_DUPLICATE_KEY', 33);
  t.is(error.details.value, 'a');
});

test('a duplicate key spelled with an escape is still a duplicate', (t) => {
  expectInvalid(t, () => parse(String.raw`{"a":1,"\u0061":2}`), 'ERR_JSON_DUPLICATE_KEY', 7);
});

test('a duplicate __proto__ key is ERR_JSON_DUPLICATE_KEY', (t) => {
  expectInvalid(t, () => parse('{"__proto__":1,"__proto__":2}'), 'ERR_JSON_DUPLICATE_KEY', 15);
});

test('the same key in different objects is fine', (t) => {
  t.deepEqual(toPlain(parse('{"a":{"a":1},"b":{"a":2}}')), { a: { a: 1 }, b: { a: 2 } });
});

// ---------------------------------------------------------------- syntax

const syntaxErrors: [string, string, number][] = [
  ['empty input', '', 0],
  ['whitespace only', '  \n', 3],
  ['trailing comma in an array', '[1,2,]', 5],
  ['trailing comma in an object', '{"a":1,}', 7],
  ['leading comma', '[,1]', 1],
  ['missing comma', '[1 2]', 3],
  ['line comment', '[1]//x', 3],
  ['block comment', '/*x*/1', 0],
  ['leading zero', '01', 1],
  ['negative leading zero', '-012', 2],
  ['leading plus', '+1', 0],
  ['leading dot', '.5', 0],
  ['trailing dot', '1.', 2],
  ['empty exponent', '1e', 2],
  ['exponent sign only', '1e+', 3],
  ['lone minus', '-', 1],
  ['minus then letter', '-a', 1],
  ['NaN', 'NaN', 0],
  ['Infinity', 'Infinity', 0],
  ['-Infinity', '-Infinity', 1],
  ['hex number', '0x10', 1],
  ['single quotes', "'a'", 0],
  ['unquoted key', '{a:1}', 1],
  ['number key', '{1:1}', 1],
  ['missing colon', '{"a" 1}', 5],
  ['missing value', '{"a":}', 5],
  ['unclosed object', '{"a":1', 6],
  ['unclosed array', '[1', 2],
  ['unclosed string', '"abc', 4],
  ['mismatched bracket', '[1}', 2],
  ['raw tab in a string', '"a\tb"', 2],
  ['raw newline in a string', '"a\nb"', 2],
  ['raw NUL-free control 0x1f in a string', '"\u001f"', 1],
  ['invalid escape', String.raw`"\x41"`, 2],
  ['escape at end', '"\\', 2],
  ['short \\u escape', String.raw`"\u12"`, 5],
  ['non-hex \\u escape', String.raw`"\u12G4"`, 5],
  ['upper-case literal', 'True', 0],
  ['truncated literal', 'nul', 3],
  ['misspelled literal', 'fals3', 4],
  ['trailing garbage', '{} x', 3],
  ['two values', '1 2', 2],
  ['vertical tab is not whitespace', '\u000b1', 0],
  ['form feed is not whitespace', '\f1', 0],
  ['no-break space is not whitespace', '\u00a01', 0],
  ['non-ASCII outside a string', '[\u00e9]', 1],
];

for (const [name, text, offset] of syntaxErrors) {
  test(`ERR_JSON_SYNTAX: ${name}`, (t) => {
    expectInvalid(t, () => parse(text, 1000), 'ERR_JSON_SYNTAX', 1000 + offset);
  });
}

// ---------------------------------------------------------------- locations

test('parseJsonLocated reports where member values start', (t) => {
  const located = parseJsonLocated(utf8(' {"a": {"b" :  true}}'), 50, LIMITS);
  t.is(located.offset, 51);
  const root = located.value as JsonObject;
  t.is(located.offsetOf(root, 'a'), 57);
  t.is(located.offsetOf(root['a'] as JsonObject, 'b'), 65);
  t.is(located.offsetOf(root, 'missing'), undefined);
});

// ---------------------------------------------------------------- stringify

test('stringifyJson is compact, keeps key order and writes bigints as digits', (t) => {
  const obj = Object.create(null) as JsonObject;
  obj['z'] = [1, 'two', null, true, false];
  obj['a'] = 18446744073709551616n;
  obj['__proto__'] = { x: -1.5 };
  t.is(stringifyJson(obj), '{"z":[1,"two",null,true,false],"a":18446744073709551616,"__proto__":{"x":-1.5}}');
});

test('stringifyJson escapes what it must', (t) => {
  t.is(stringifyJson('"\\\b\f\n\r\t\u0000\u001f/\u00e9\u{1F600}'), String.raw`"\"\\\b\f\n\r\t\u0000\u001f/` + '\u00e9\u{1F600}"');
  t.is(stringifyJson('a\ud800b\udc00'), String.raw`"a\ud800b\udc00"`);
});

test('stringifyJson keeps numbers numbers through a round trip', (t) => {
  t.is(stringifyJson(-0), '-0');
  t.is(stringifyJson(2 ** 60), '1152921504606847000.0');
  t.is(parse(stringifyJson(2 ** 60)), 2 ** 60);
  t.is(stringifyJson(1e21), '1e+21');
  t.is(stringifyJson(9007199254740991), '9007199254740991');
});

test('stringifyJson refuses values that are not JSON', (t) => {
  const cyclic: JsonValue[] = [];
  cyclic.push(cyclic);
  const bad: unknown[] = [NaN, Infinity, -Infinity, undefined, () => 1, Symbol('s'), new Date(0), new Map(), cyclic, [1, , 2], { a: undefined }];
  for (const value of bad) {
    const error = t.throws(() => stringifyJson(value as JsonValue), { instanceOf: VfioUserEncodeError });
    t.is(error.code, 'ERR_ENCODE_FIELD');
  }
});

test('stringifyJson accepts a shared (non-cyclic) sub-value twice', (t) => {
  const shared = [1];
  t.is(stringifyJson([shared, shared]), '[[1],[1]]');
});

// ---------------------------------------------------------------- properties

const codeUnitString = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 8 });
const keyArb = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString', 'valueOf', '', '0', '1', 'a'), fc.string({ unit: 'binary', maxLength: 6 }), codeUnitString);
const scalarArb: fc.Arbitrary<JsonValue> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.maxSafeInteger(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.bigInt({ min: 2n ** 53n, max: 2n ** 200n }),
  fc.bigInt({ min: -(2n ** 200n), max: -(2n ** 53n) }),
  fc.string({ unit: 'binary', maxLength: 10 }),
  codeUnitString,
);

const jsonArb: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 4 },
    scalarArb,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.uniqueArray(fc.tuple(keyArb, tie('value')), { selector: (entry) => entry[0], maxLength: 4 }).map((entries) => {
      const object = Object.create(null) as JsonObject;
      for (const [key, value] of entries) object[key] = value;
      return object;
    }),
  ),
})).value;

test('property: parseJson(stringifyJson(v)) deep-equals v', (t) => {
  holds(
    t,
    fc.property(jsonArb, (value) => {
      assert.deepStrictEqual(parseJson(utf8(stringifyJson(value)), 0, LIMITS), value);
    }),
  );
});

test('property: on JSON.stringify output parseJson agrees with JSON.parse', (t) => {
  holds(
    t,
    fc.property(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom(undefined, 1, '\t'), (value, space) => {
      const text = JSON.stringify(value, null, space);
      assert.deepStrictEqual(toPlain(parseJson(utf8(text), 0, LIMITS)), JSON.parse(text));
    }),
  );
});

const tokenArb = fc.constantFrom('{', '}', '[', ']', ',', ':', ' ', '\n', '"a"', '"b"', '"\\u0041"', '"\\x"', '"', '\\', '0', '1', '-', '.', 'e', '+', '12', '-0.5e3', 'true', 'false', 'null', 'nul', '\u00e9', '\t', '\u0001');

test('property: token soup is accepted exactly when JSON.parse accepts it (barring duplicates)', (t) => {
  holds(
    t,
    fc.property(fc.array(tokenArb, { maxLength: 24 }), (tokens) => {
      const text = tokens.join('');
      let expected: unknown;
      let jsOk = true;
      try {
        expected = JSON.parse(text);
      } catch {
        jsOk = false;
      }
      try {
        const value = parseJson(utf8(text), 0, BIG);
        assert.ok(jsOk, `accepted ${JSON.stringify(text)}`);
        assert.deepStrictEqual(toPlain(value), expected);
      } catch (error) {
        if (error instanceof assert.AssertionError) throw error;
        assert.ok(error instanceof VfioUserInvalidError, `non-VfioUserError for ${JSON.stringify(text)}`);
        if (error.code !== 'ERR_JSON_DUPLICATE_KEY') assert.ok(!jsOk || hasNonFinite(expected), `refused ${JSON.stringify(text)}: ${error.code}`);
      }
    }),
    { numRuns: 2000 },
  );
});

test('property: random bytes only ever throw VfioUserError', (t) => {
  holds(
    t,
    fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat({ max: 40 }), (bytes, depth) => {
      try {
        parseJson(bytes, 0, { maxJsonDepth: depth });
      } catch (error) {
        assert.ok(error instanceof VfioUserError, String(error));
      }
    }),
    { numRuns: 2000 },
  );
});

import assert from 'node:assert/strict';
import test, { type ExecutionContext } from 'ava';
import fc from 'fast-check';
import { holds } from './helpers/property.js';
import { capabilities as capabilitySpec } from '../spec/capabilities.js';
import type { CapabilitySpec } from '../spec/types.js';
import {
  effectiveCapabilities,
  emitVersionJson,
  negotiate,
  parseVersionJson,
  type Capabilities,
  type VersionJson,
} from '../src/capabilities.js';
import {
  VfioUserEncodeError,
  VfioUserError,
  VfioUserInvalidError,
  VfioUserLimitError,
  VfioUserProtocolError,
} from '../src/errors.js';
import type { JsonObject, JsonValue } from '../src/json.js';
import { DEFAULT_LIMITS } from '../src/options.js';
import { expectInvalid, prototypeSnapshot } from './helpers/errors.js';

const BASE = 20;
const encoder = new TextEncoder();

/** The JSON text as a VERSION body tail: UTF-8 bytes and a NUL. */
function body(text: string): Uint8Array {
  const bytes = encoder.encode(text);
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  return out;
}

const parse = (text: string): VersionJson => parseVersionJson(body(text), BASE, DEFAULT_LIMITS);

function nullObject(entries: Record<string, JsonValue> | [string, JsonValue][]): JsonObject {
  const out = Object.create(null) as JsonObject;
  for (const [key, value] of Array.isArray(entries) ? entries : Object.entries(entries)) out[key] = value;
  return out;
}



const JSON_C_SERVER =
  '{ "capabilities": { "max_msg_fds": 8, "max_data_xfer_size": 1048576, "migration": { "pgsize": 4096 }, "twin_socket": { "supported": true, "fd_index": 0 }, "iommufd": { "supported": true } } }';
const COMPACT_SERVER =
  '{"capabilities":{"max_msg_fds":8,"max_data_xfer_size":1048576,"migration":{"pgsize":4096},"twin_socket":{"supported":true,"fd_index":0},"iommufd":{"supported":true}}}';
const SERVER_CAPS: VersionJson = {
  capabilities: {
    max_msg_fds: 8,
    max_data_xfer_size: 1048576,
    migration: { pgsize: 4096 },
    twin_socket: { supported: true, fd_index: 0 },
    iommufd: { supported: true },
  },
};

// ---------------------------------------------------------------- parsing real peers

test('the json-c server string parses', (t) => {
  t.deepEqual(parse(JSON_C_SERVER), SERVER_CAPS);
});

test('the compact server string parses', (t) => {
  t.deepEqual(parse(COMPACT_SERVER), SERVER_CAPS);
});

test('QEMU-style spacing parses', (t) => {
  const qemu =
    '{"capabilities": {"max_msg_fds": 16, "max_data_xfer_size": 1048576, "pgsizes": 4096, "max_dma_maps": 65535, "migration": {"pgsize": 4096, "max_bitmap_size": 268435456}, "write_multiple": true}}';
  t.deepEqual(parse(qemu), {
    capabilities: {
      max_msg_fds: 16,
      max_data_xfer_size: 1048576,
      pgsizes: 4096,
      max_dma_maps: 65535,
      migration: { pgsize: 4096, max_bitmap_size: 268435456 },
      write_multiple: true,
    },
  });
});

test('an empty object and empty capabilities parse', (t) => {
  t.deepEqual(parse('{}'), {});
  t.deepEqual(parse('{"capabilities":{}}'), { capabilities: {} });
  t.deepEqual(parse('{"capabilities":{"migration":{},"iommufd":{}}}'), { capabilities: { migration: {}, iommufd: {} } });
});

test('the body offset is carried into error offsets', (t) => {
  expectInvalid(t, () => parseVersionJson(body('{"capabilities":[]}'), 0, DEFAULT_LIMITS), 'ERR_CAPS_TYPE', 16);
  expectInvalid(t, () => parseVersionJson(body('{"capabilities":[]}'), 1000, DEFAULT_LIMITS), 'ERR_CAPS_TYPE', 1016);
});

// ---------------------------------------------------------------- unknown keys

test('unknown keys are kept in extra at every level, in order', (t) => {
  const v = parse(
    '{"z":1,"capabilities":{"new_cap":{"x":[1,2]},"max_msg_fds":4,"old":null,"migration":{"pgsize":4096,"foo":"bar"},"twin_socket":{"supported":false,"y":true},"iommufd":{"supported":true,"version":2}},"a":"b"}',
  );
  t.deepEqual(v, {
    capabilities: {
      max_msg_fds: 4,
      migration: { pgsize: 4096, extra: nullObject({ foo: 'bar' }) },
      twin_socket: { supported: false, extra: nullObject({ y: true }) },
      iommufd: { supported: true, extra: nullObject({ version: 2 }) },
      extra: nullObject({ new_cap: nullObject({ x: [1, 2] }), old: null }),
    },
    extra: nullObject({ z: 1, a: 'b' }),
  });
  t.deepEqual(Object.keys(v.capabilities!.extra!), ['new_cap', 'old']);
  t.deepEqual(Object.keys(v.extra!), ['z', 'a']);
});

test('a JSON key named extra is an unknown key like any other', (t) => {
  const v = parse('{"capabilities":{"extra":5}}');
  t.deepEqual(v, { capabilities: { extra: nullObject({ extra: 5 }) } });
  t.is(emitVersionJson(v), '{"capabilities":{"extra":5}}');
});

test('__proto__ keys are kept as own properties and Object.prototype is untouched', (t) => {
  const before = prototypeSnapshot();
  const v = parse('{"__proto__":{"polluted":1},"capabilities":{"__proto__":{"polluted":2},"migration":{"__proto__":3}}}');
  t.true(Object.hasOwn(v.extra!, '__proto__'));
  t.true(Object.hasOwn(v.capabilities!.extra!, '__proto__'));
  t.is(v.capabilities!.migration!.extra!['__proto__'], 3);
  t.is(Object.getPrototypeOf(v), Object.prototype);
  t.is(Object.getPrototypeOf(v.capabilities), Object.prototype);
  t.is(({} as Record<string, unknown>)['polluted'], undefined);
  t.deepEqual(prototypeSnapshot(), before);
  t.is(emitVersionJson(v), '{"capabilities":{"migration":{"__proto__":3},"__proto__":{"polluted":2}},"__proto__":{"polluted":1}}');
});

test('constructor keys are kept as own properties and Object.prototype is untouched', (t) => {
  const before = prototypeSnapshot();
  const v = parse('{"constructor":{"prototype":{"polluted":1}},"capabilities":{"constructor":1,"toString":2}}');
  t.deepEqual(Object.keys(v.extra!), ['constructor']);
  t.deepEqual(Object.keys(v.capabilities!.extra!), ['constructor', 'toString']);
  t.is(typeof Object.prototype.toString, 'function');
  t.is(({} as Record<string, unknown>)['polluted'], undefined);
  t.deepEqual(prototypeSnapshot(), before);
});

// ---------------------------------------------------------------- type errors

test('non-boolean iommufd.supported is ERR_CAPS_TYPE', (t) => {
  for (const bad of ['1', '"true"', 'null', '{}', '[]', '0']) {
    const prefix = '{"capabilities":{"iommufd":{"supported":';
    const error = expectInvalid(t, () => parse(`${prefix}${bad}}}}`), 'ERR_CAPS_TYPE', BASE + prefix.length);
    t.is(error.details.field, 'capabilities.iommufd.supported');
  }
});

test('integer 2^64 for a known key is ERR_CAPS_TYPE; in an unknown key it is kept exact', (t) => {
  const error = expectInvalid(t, () => parse('{"capabilities":{"max_msg_fds":18446744073709551616}}'), 'ERR_CAPS_TYPE', BASE + 31);
  t.is(error.details.field, 'capabilities.max_msg_fds');
  t.is(error.details.value, 18446744073709551616n);
  const kept = parse('{"capabilities":{"future":18446744073709551616}}');
  t.is(kept.capabilities!.extra!['future'], 18446744073709551616n);
  t.is(emitVersionJson(kept), '{"capabilities":{"future":18446744073709551616}}');
});

const typeErrors: [string, string, string][] = [
  ['max_msg_fds as a string', '{"capabilities":{"max_msg_fds":"8"}}', 'capabilities.max_msg_fds'],
  ['max_msg_fds negative', '{"capabilities":{"max_msg_fds":-1}}', 'capabilities.max_msg_fds'],
  ['max_msg_fds a fraction', '{"capabilities":{"max_msg_fds":1.5}}', 'capabilities.max_msg_fds'],
  ['max_msg_fds a boolean', '{"capabilities":{"max_msg_fds":true}}', 'capabilities.max_msg_fds'],
  ['max_msg_fds null', '{"capabilities":{"max_msg_fds":null}}', 'capabilities.max_msg_fds'],
  ['max_data_xfer_size 2^53', '{"capabilities":{"max_data_xfer_size":9007199254740992}}', 'capabilities.max_data_xfer_size'],
  ['max_dma_maps beyond the safe range as a float', '{"capabilities":{"max_dma_maps":1e30}}', 'capabilities.max_dma_maps'],
  ['pgsizes an array', '{"capabilities":{"pgsizes":[4096]}}', 'capabilities.pgsizes'],
  ['capabilities an array', '{"capabilities":[]}', 'capabilities'],
  ['capabilities null', '{"capabilities":null}', 'capabilities'],
  ['capabilities a string', '{"capabilities":"x"}', 'capabilities'],
  ['migration a number', '{"capabilities":{"migration":1}}', 'capabilities.migration'],
  ['migration.pgsize a string', '{"capabilities":{"migration":{"pgsize":"4096"}}}', 'capabilities.migration.pgsize'],
  ['migration.max_bitmap_size negative', '{"capabilities":{"migration":{"max_bitmap_size":-4096}}}', 'capabilities.migration.max_bitmap_size'],
  ['twin_socket true', '{"capabilities":{"twin_socket":true}}', 'capabilities.twin_socket'],
  ['twin_socket.supported a string', '{"capabilities":{"twin_socket":{"supported":"yes"}}}', 'capabilities.twin_socket.supported'],
  ['twin_socket.fd_index negative', '{"capabilities":{"twin_socket":{"supported":true,"fd_index":-1}}}', 'capabilities.twin_socket.fd_index'],
  ['write_multiple a number', '{"capabilities":{"write_multiple":1}}', 'capabilities.write_multiple'],
  ['iommufd a boolean', '{"capabilities":{"iommufd":true}}', 'capabilities.iommufd'],
];

for (const [name, text, field] of typeErrors) {
  test(`ERR_CAPS_TYPE: ${name}`, (t) => {
    const key = field.slice(field.lastIndexOf('.') + 1);
    const valueAt = text.indexOf(':', text.lastIndexOf(`"${key}"`)) + 1;
    const error = expectInvalid(t, () => parse(text), 'ERR_CAPS_TYPE', BASE + valueAt);
    t.is(error.details.field, field);
  });
}

test('a root that is not an object is ERR_CAPS_TYPE at the root', (t) => {
  for (const text of ['[]', ' 1', '"capabilities"', 'null', 'true']) {
    const error = expectInvalid(t, () => parse(text), 'ERR_CAPS_TYPE', BASE + text.length - text.trimStart().length);
    t.is(error.details.field, undefined);
  }
});

/** Every key of the spec, with its dotted path. */
function specKeys(node: CapabilitySpec, path: string): [string, CapabilitySpec][] {
  const out: [string, CapabilitySpec][] = [];
  for (const child of node.keys ?? []) {
    const field = `${path}.${child.name}`;
    out.push([field, child]);
    out.push(...specKeys(child, field));
  }
  return out;
}

/** A JSON text with `value` at `field` (a dotted path under `capabilities`). */
function documentWith(field: string, value: string): string {
  const names = field.split('.');
  return names.map((name) => `{"${name}":`).join('') + value + '}'.repeat(names.length);
}

test('every spec key refuses every wrong JSON type (driven by spec/capabilities.ts)', (t) => {
  const samples: Record<string, string[]> = {
    integer: ['true', '"1"', 'null', '[]', '{}', '1.5', '18446744073709551616'],
    boolean: ['1', '"true"', 'null', '[]', '{}'],
    object: ['1', 'true', '"x"', 'null', '[]'],
  };
  const keys = specKeys(capabilitySpec, 'capabilities');
  t.true(keys.length >= 13);
  for (const [field, node] of keys) {
    for (const bad of samples[node.type] ?? []) {
      const error = t.throws(() => parse(documentWith(field, bad)), { instanceOf: VfioUserInvalidError });
      t.is(error.code, 'ERR_CAPS_TYPE', `${field} = ${bad}`);
      t.is(error.details.field, field);
    }
    const minimum = node.minimum;
    if (node.type === 'integer' && minimum !== undefined) {
      const below = t.throws(() => parse(documentWith(field, String(minimum - 1))), { instanceOf: VfioUserInvalidError });
      t.is(below.code, 'ERR_CAPS_TYPE');
      t.notThrows(() => parse(documentWith(field, String(minimum))));
    }
  }
});

test('every spec key accepts its own type (driven by spec/capabilities.ts)', (t) => {
  const good: Record<string, string> = { integer: '4096', boolean: 'true', object: '{}' };
  for (const [field, node] of specKeys(capabilitySpec, 'capabilities')) {
    t.notThrows(() => parse(documentWith(field, good[node.type]!)), field);
  }
});

// ---------------------------------------------------------------- JSON errors through parseVersionJson

test('invalid UTF-8 is ERR_JSON_UTF8', (t) => {
  const bytes = new Uint8Array([...encoder.encode('{"a":"'), 0xc3, 0x28, ...encoder.encode('"}'), 0]);
  expectInvalid(t, () => parseVersionJson(bytes, BASE, DEFAULT_LIMITS), 'ERR_JSON_UTF8', BASE + 6);
});

test('duplicate keys are ERR_JSON_DUPLICATE_KEY', (t) => {
  const text = '{"capabilities":{"max_msg_fds":1,"max_msg_fds":2}}';
  expectInvalid(t, () => parse(text), 'ERR_JSON_DUPLICATE_KEY', BASE + 33);
  expectInvalid(t, () => parse('{"capabilities":{},"capabilities":{}}'), 'ERR_JSON_DUPLICATE_KEY', BASE + 19);
});

test('a syntax error is ERR_JSON_SYNTAX', (t) => {
  expectInvalid(t, () => parse('{"capabilities":{"max_msg_fds":8,}}'), 'ERR_JSON_SYNTAX', BASE + 33);
});

test('a missing NUL is ERR_JSON_NUL at the last byte', (t) => {
  const bytes = encoder.encode(COMPACT_SERVER);
  expectInvalid(t, () => parseVersionJson(bytes, BASE, DEFAULT_LIMITS), 'ERR_JSON_NUL', BASE + bytes.length - 1);
});

test('a NUL in the middle is ERR_JSON_NUL at that NUL', (t) => {
  const bytes = body('{"capabilities":{}}');
  bytes[5] = 0;
  expectInvalid(t, () => parseVersionJson(bytes, BASE, DEFAULT_LIMITS), 'ERR_JSON_NUL', BASE + 5);
});

test('two NULs at the end are ERR_JSON_NUL at the first', (t) => {
  const bytes = new Uint8Array([...body('{}'), 0]);
  expectInvalid(t, () => parseVersionJson(bytes, BASE, DEFAULT_LIMITS), 'ERR_JSON_NUL', BASE + 2);
});

test('a NUL inside a JSON string is ERR_JSON_NUL, not a string character', (t) => {
  const bytes = new Uint8Array([...encoder.encode('{"a":"x'), 0, ...encoder.encode('"}'), 0]);
  expectInvalid(t, () => parseVersionJson(bytes, BASE, DEFAULT_LIMITS), 'ERR_JSON_NUL', BASE + 7);
});

test('empty input is ERR_JSON_NUL; a lone NUL is ERR_JSON_SYNTAX', (t) => {
  expectInvalid(t, () => parseVersionJson(new Uint8Array(0), BASE, DEFAULT_LIMITS), 'ERR_JSON_NUL', BASE);
  expectInvalid(t, () => parseVersionJson(new Uint8Array([0]), BASE, DEFAULT_LIMITS), 'ERR_JSON_SYNTAX', BASE);
});

// ---------------------------------------------------------------- limits

/** A valid document of exactly `size` bytes, NUL included. */
function documentOfSize(size: number): Uint8Array {
  const head = '{"capabilities":{},"pad":"';
  const tail = '"}';
  const bytes = body(head + 'x'.repeat(size - 1 - head.length - tail.length) + tail);
  assert.equal(bytes.length, size);
  return bytes;
}

test('a 1 MiB document is ERR_LIMIT maxJsonBytes under the default limit', (t) => {
  const error = t.throws(() => parseVersionJson(documentOfSize(1 << 20), BASE, DEFAULT_LIMITS), { instanceOf: VfioUserLimitError });
  t.is(error.code, 'ERR_LIMIT');
  t.is(error.details.limitName, 'maxJsonBytes');
  t.is(error.details.limit, 65536);
  t.is(error.details.value, 1 << 20);
  t.is(error.offset, BASE);
});

test('maxJsonBytes: 65536 bytes (NUL included) pass, 65537 are ERR_LIMIT', (t) => {
  t.is(DEFAULT_LIMITS.maxJsonBytes, 65536);
  const v = parseVersionJson(documentOfSize(65536), BASE, DEFAULT_LIMITS);
  t.deepEqual(v.capabilities, {});
  const error = t.throws(() => parseVersionJson(documentOfSize(65537), BASE, DEFAULT_LIMITS), { instanceOf: VfioUserLimitError });
  t.is(error.details.limitName, 'maxJsonBytes');
  t.is(error.details.value, 65537);
});

test('maxJsonBytes is checked before the NUL rules', (t) => {
  const error = t.throws(() => parseVersionJson(new Uint8Array(10), BASE, { maxJsonBytes: 9, maxJsonDepth: 32 }), { instanceOf: VfioUserLimitError });
  t.is(error.details.limitName, 'maxJsonBytes');
});

test('maxJsonDepth: depth 32 passes, 33 is ERR_LIMIT', (t) => {
  t.is(DEFAULT_LIMITS.maxJsonDepth, 32);
  // Root object and capabilities are depths 1 and 2; the rest are arrays.
  const at = (depth: number): string => `{"capabilities":{"deep":${'['.repeat(depth - 2)}${']'.repeat(depth - 2)}}}`;
  t.notThrows(() => parse(at(32)));
  const error = t.throws(() => parse(at(33)), { instanceOf: VfioUserLimitError });
  t.is(error.code, 'ERR_LIMIT');
  t.is(error.details.limitName, 'maxJsonDepth');
  t.is(error.offset, BASE + 24 + 30);
});

test('nesting depth 10,000 is ERR_LIMIT without a stack overflow', (t) => {
  const error = t.throws(() => parse('['.repeat(10_000)), { instanceOf: VfioUserLimitError });
  t.is(error.code, 'ERR_LIMIT');
  t.is(error.details.limitName, 'maxJsonDepth');
  t.is(error.offset, BASE + 32);
});

// ---------------------------------------------------------------- emit

test('emitVersionJson is compact, in spec order, extras after', (t) => {
  const json: VersionJson = {
    extra: nullObject({ top: 1 }),
    capabilities: {
      extra: nullObject({ later: true }),
      iommufd: { supported: true },
      write_multiple: true,
      twin_socket: { fd_index: 0, supported: true },
      migration: { max_bitmap_size: 268435456, pgsize: 4096 },
      pgsizes: 4096,
      max_dma_maps: 65535,
      max_data_xfer_size: 1048576,
      max_msg_fds: 8,
    },
  };
  t.is(
    emitVersionJson(json),
    '{"capabilities":{"max_msg_fds":8,"max_data_xfer_size":1048576,"max_dma_maps":65535,"pgsizes":4096,"migration":{"pgsize":4096,"max_bitmap_size":268435456},"twin_socket":{"supported":true,"fd_index":0},"write_multiple":true,"iommufd":{"supported":true},"later":true},"top":1}',
  );
});

test('emitVersionJson of the server capabilities is the compact server string', (t) => {
  t.is(emitVersionJson(SERVER_CAPS), COMPACT_SERVER);
  t.is(emitVersionJson({}), '{}');
});

test('emitVersionJson refuses wrong types, unknown typed keys and extras that shadow known keys', (t) => {
  const bad: [unknown, string][] = [
    [{ capabilities: { max_msg_fds: -1 } }, 'capabilities.max_msg_fds'],
    [{ capabilities: { max_msg_fds: 1.5 } }, 'capabilities.max_msg_fds'],
    [{ capabilities: { max_msg_fds: 2 ** 53 } }, 'capabilities.max_msg_fds'],
    [{ capabilities: { max_msg_fds: 8n } }, 'capabilities.max_msg_fds'],
    [{ capabilities: { iommufd: { supported: 1 } } }, 'capabilities.iommufd.supported'],
    [{ capabilities: { migration: [] } }, 'capabilities.migration'],
    [{ capabilities: { unknown: 1 } }, 'capabilities.unknown'],
    [{ capabilities: { extra: { max_msg_fds: 1 } } }, 'capabilities.max_msg_fds'],
    [{ extra: { capabilities: {} } }, 'capabilities'],
    [{ capabilities: { extra: [] } }, 'capabilities.extra'],
  ];
  for (const [json, field] of bad) {
    const error = t.throws(() => emitVersionJson(json as VersionJson), { instanceOf: VfioUserEncodeError });
    t.is(error.code, 'ERR_ENCODE_FIELD');
    t.is(error.details.field, field);
  }
  const nonJson = t.throws(() => emitVersionJson({ extra: nullObject({ x: NaN }) }), { instanceOf: VfioUserEncodeError });
  t.is(nonJson.code, 'ERR_ENCODE_FIELD');
});

// ---------------------------------------------------------------- properties

const codeUnitString = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 6 });

const jsonValueArb: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 3 },
    fc.constant(null),
    fc.boolean(),
    fc.maxSafeInteger(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.bigInt({ min: 2n ** 53n, max: 2n ** 128n }),
    fc.string({ unit: 'binary', maxLength: 8 }),
    codeUnitString,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.uniqueArray(fc.tuple(fc.string({ maxLength: 4 }), tie('value')), { selector: (e) => e[0], maxLength: 3 }).map(nullObject),
  ),
})).value;

function extraArb(known: ReadonlySet<string>): fc.Arbitrary<JsonObject> {
  const key = fc
    .oneof(fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'extra', '', '0', 'x'), fc.string({ maxLength: 6 }), codeUnitString)
    .filter((k) => !known.has(k));
  return fc.uniqueArray(fc.tuple(key, jsonValueArb), { selector: (e) => e[0], minLength: 1, maxLength: 4 }).map(nullObject);
}

/** An arbitrary typed object for a spec node, built from spec/capabilities.ts. */
function typedArb(node: CapabilitySpec): fc.Arbitrary<Record<string, unknown>> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const child of node.keys ?? []) {
    if (child.type === 'object') model[child.name] = typedArb(child);
    else if (child.type === 'boolean') model[child.name] = fc.boolean();
    else {
      const min = child.minimum ?? Number.MIN_SAFE_INTEGER;
      const max = child.maximum ?? Number.MAX_SAFE_INTEGER;
      model[child.name] = fc.oneof(fc.integer({ min, max: Math.min(max, min + 100) }), fc.integer({ min, max }), fc.constantFrom(min, max));
    }
  }
  const known = new Set((node.keys ?? []).map((k) => k.name));
  return fc
    .tuple(fc.record(model, { requiredKeys: [], noNullPrototype: true }), fc.option(extraArb(known), { nil: undefined }))
    .map(([typed, extra]) => (extra === undefined ? typed : { ...typed, extra }));
}

const versionJsonArb: fc.Arbitrary<VersionJson> = typedArb({ name: '', type: 'object', doc: '', keys: [capabilitySpec] }) as fc.Arbitrary<VersionJson>;

test('property: parseVersionJson(emitVersionJson(x) + NUL) deep-equals x', (t) => {
  holds(
    t,
    fc.property(versionJsonArb, (json) => {
      assert.deepStrictEqual(parseVersionJson(body(emitVersionJson(json)), BASE, DEFAULT_LIMITS), json);
    }),
    { numRuns: 500 },
  );
});

function onlyVfioUserErrors(bytes: Uint8Array): void {
  try {
    parseVersionJson(bytes, BASE, DEFAULT_LIMITS);
  } catch (error) {
    assert.ok(error instanceof VfioUserError, `not a VfioUserError: ${String(error)}`);
  }
}

test('property: random bytes given to parseVersionJson only ever throw VfioUserError', (t) => {
  holds(
    t,
    fc.property(fc.uint8Array({ maxLength: 128 }), fc.boolean(), (bytes, addNul) => {
      onlyVfioUserErrors(addNul ? new Uint8Array([...bytes, 0]) : bytes);
    }),
    { numRuns: 3000 },
  );
});

test('property: mutated valid documents only ever throw VfioUserError', (t) => {
  const mutation = fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'insert', 'delete'));
  holds(
    t,
    fc.property(versionJsonArb, fc.array(mutation, { minLength: 1, maxLength: 4 }), (json, mutations) => {
      const bytes = [...body(emitVersionJson(json))];
      for (const [where, byte, kind] of mutations) {
        const i = where % (bytes.length + 1);
        if (kind === 'set' && i < bytes.length) bytes[i] = byte;
        else if (kind === 'insert') bytes.splice(i, 0, byte);
        else bytes.splice(i, 1);
      }
      onlyVfioUserErrors(new Uint8Array(bytes));
    }),
    { numRuns: 1000 },
  );
});

// ---------------------------------------------------------------- defaults

test('effectiveCapabilities gives the spec defaults when nothing was sent', (t) => {
  const defaults = effectiveCapabilities(undefined);
  t.deepEqual(defaults, {
    max_msg_fds: 1,
    max_data_xfer_size: 1048576,
    max_dma_maps: 65535,
    pgsizes: 4096,
    migration_pgsize: null,
    twin_socket: false,
    write_multiple: false,
    iommufd: false,
  });
  t.deepEqual(effectiveCapabilities({}), defaults);
  for (const node of capabilitySpec.keys ?? []) {
    if (node.default !== undefined) t.is(defaults[node.name as keyof typeof defaults], node.default, node.name);
  }
});

test('effectiveCapabilities takes advertised values', (t) => {
  t.deepEqual(effectiveCapabilities(parse(JSON_C_SERVER).capabilities), {
    max_msg_fds: 8,
    max_data_xfer_size: 1048576,
    max_dma_maps: 65535,
    pgsizes: 4096,
    migration_pgsize: 4096,
    twin_socket: true,
    write_multiple: false,
    iommufd: true,
  });
});

// ---------------------------------------------------------------- negotiate

const caps = (capabilities: Capabilities): VersionJson => ({ capabilities });

test('negotiate: defaults when no JSON was sent by either side', (t) => {
  t.deepEqual(negotiate(null, null), {
    toServer: { maxMsgFds: 1, maxDataXferSize: 1048576 },
    toClient: { maxMsgFds: 1, maxDataXferSize: 1048576 },
    twinSocket: null,
    migrationPgsize: null,
    iommufd: false,
    iommufdDrafts: { fixed_iova: false, iova_ranges: false, dirty_tracking: false },
    writeMultiple: false,
    maxDmaMaps: 65535,
    pgsizes: 4096,
  });
  t.deepEqual(negotiate({}, {}), negotiate(null, null));
});

test('negotiate: each side limits what the other sends', (t) => {
  const n = negotiate(caps({ max_msg_fds: 16, max_data_xfer_size: 4096 }), caps({ max_msg_fds: 8, max_data_xfer_size: 65536, max_dma_maps: 10, pgsizes: 0x201000, write_multiple: true }));
  t.deepEqual(n.toServer, { maxMsgFds: 8, maxDataXferSize: 65536 });
  t.deepEqual(n.toClient, { maxMsgFds: 16, maxDataXferSize: 4096 });
  t.is(n.maxDmaMaps, 10);
  t.is(n.pgsizes, 0x201000);
  t.true(n.writeMultiple);
});

test('negotiate: the assumed max_msg_fds of a silent side is configurable', (t) => {
  const n = negotiate(null, caps({}), { clientDefaultMaxMsgFds: 8, serverDefaultMaxMsgFds: 4 });
  t.is(n.toClient.maxMsgFds, 8);
  t.is(n.toServer.maxMsgFds, 4);
  const advertised = negotiate(caps({ max_msg_fds: 2 }), caps({ max_msg_fds: 3 }), { clientDefaultMaxMsgFds: 8, serverDefaultMaxMsgFds: 4 });
  t.is(advertised.toClient.maxMsgFds, 2);
  t.is(advertised.toServer.maxMsgFds, 3);
});

test('negotiate: write_multiple only counts from the server', (t) => {
  t.false(negotiate(caps({ write_multiple: true }), null).writeMultiple);
  t.false(negotiate(null, caps({ write_multiple: false })).writeMultiple);
  t.true(negotiate(null, caps({ write_multiple: true })).writeMultiple);
});

test('negotiate: migration pgsize is the server reply, else the client proposal, else null', (t) => {
  t.is(negotiate(caps({ migration: { pgsize: 4096 } }), caps({ migration: { pgsize: 65536 } })).migrationPgsize, 65536);
  t.is(negotiate(caps({ migration: { pgsize: 4096 } }), caps({})).migrationPgsize, 4096);
  t.is(negotiate(null, caps({ migration: {} })).migrationPgsize, null);
});

test('negotiate iommufd: client only -> legacy', (t) => {
  t.false(negotiate(caps({ iommufd: { supported: true } }), caps({})).iommufd);
  t.false(negotiate(caps({ iommufd: { supported: true } }), null).iommufd);
});

test('negotiate iommufd: server only -> legacy', (t) => {
  t.false(negotiate(caps({}), caps({ iommufd: { supported: true } })).iommufd);
  t.false(negotiate(null, caps({ iommufd: { supported: true } })).iommufd);
});

test('negotiate iommufd: both -> iommufd', (t) => {
  t.true(negotiate(caps({ iommufd: { supported: true } }), caps({ iommufd: { supported: true } })).iommufd);
});

test('negotiate iommufd: neither, or false on one side -> legacy', (t) => {
  t.false(negotiate(caps({}), caps({})).iommufd);
  t.false(negotiate(caps({ iommufd: { supported: true } }), caps({ iommufd: { supported: false } })).iommufd);
  t.false(negotiate(caps({ iommufd: {} }), caps({ iommufd: { supported: true } })).iommufd);
});

test('negotiate iommufd from parsed json-c and QEMU texts', (t) => {
  const client = parse('{"capabilities": {"max_msg_fds": 8, "twin_socket": {"supported": true}, "iommufd": {"supported": true}}}');
  t.true(negotiate(client, parse(JSON_C_SERVER)).iommufd);
  t.false(negotiate(client, parse('{ "capabilities": { "max_msg_fds": 8 } }')).iommufd);
});

test('negotiate twin socket: asked and granted', (t) => {
  const client = caps({ twin_socket: { supported: true } });
  t.deepEqual(negotiate(client, caps({ twin_socket: { supported: true, fd_index: 0 } })).twinSocket, { fdIndex: 0 });
  t.deepEqual(negotiate(client, caps({ twin_socket: { supported: true, fd_index: 1 } }), { serverFds: 2 }).twinSocket, { fdIndex: 1 });
});

test('negotiate twin socket: asked and declined or ignored', (t) => {
  const client = caps({ twin_socket: { supported: true } });
  t.is(negotiate(client, caps({ twin_socket: { supported: false } })).twinSocket, null);
  t.is(negotiate(client, caps({})).twinSocket, null);
  t.is(negotiate(client, null).twinSocket, null);
});

test('negotiate twin socket: not asked, not granted', (t) => {
  t.is(negotiate(null, null).twinSocket, null);
  t.is(negotiate(caps({}), caps({ twin_socket: { supported: false, fd_index: 0 } })).twinSocket, null);
});

function expectTwinSocketError(t: ExecutionContext, fn: () => unknown): VfioUserProtocolError {
  const error = t.throws(fn, { instanceOf: VfioUserProtocolError });
  t.is(error.code, 'ERR_TWIN_SOCKET');
  return error;
}

test('negotiate twin socket: granted without being asked is ERR_TWIN_SOCKET', (t) => {
  expectTwinSocketError(t, () => negotiate(null, caps({ twin_socket: { supported: true, fd_index: 0 } })));
  expectTwinSocketError(t, () => negotiate(caps({ twin_socket: { supported: false } }), caps({ twin_socket: { supported: true, fd_index: 0 } })));
});

test('negotiate twin socket: granted without fd_index is ERR_TWIN_SOCKET', (t) => {
  const error = expectTwinSocketError(t, () => negotiate(caps({ twin_socket: { supported: true } }), caps({ twin_socket: { supported: true } })));
  t.is(error.details.field, 'capabilities.twin_socket.fd_index');
});

test('negotiate twin socket: fd_index beyond the received fds is ERR_TWIN_SOCKET', (t) => {
  const client = caps({ twin_socket: { supported: true } });
  const error = expectTwinSocketError(t, () => negotiate(client, caps({ twin_socket: { supported: true, fd_index: 1 } }), { serverFds: 1 }));
  t.is(error.details.value, 1);
  expectTwinSocketError(t, () => negotiate(client, caps({ twin_socket: { supported: true, fd_index: 0 } }), { serverFds: 0 }));
});

test('negotiate twin socket: the json-c server grant with one fd', (t) => {
  const client = parse('{"capabilities":{"twin_socket":{"supported":true}}}');
  t.deepEqual(negotiate(client, parse(JSON_C_SERVER), { serverFds: 1 }).twinSocket, { fdIndex: 0 });
});

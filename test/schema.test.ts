import test from 'ava';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { readFileSync } from 'node:fs';
import { capabilities as capabilitySpec } from '../spec/capabilities.js';
import { fixtures } from '../spec/fixtures/index.js';
import type { CapabilitySpec, FixtureSpec } from '../spec/types.js';
import { generateSchema, SCHEMA_ID, SCHEMA_PATH } from '../generator/schema.js';

/** The committed schema, read relative to the package root (this file runs from dist/test). */
const committedText = readFileSync(new URL(`../../${SCHEMA_PATH}`, import.meta.url), 'utf8');
const schema = JSON.parse(committedText) as Record<string, unknown>;

const ajv = new Ajv2020({ strict: true, allErrors: true });
const validate = ajv.compile(schema);

function valid(doc: unknown): boolean {
  return validate(doc);
}

/** The bytes of a fixture, from its commented hex groups. */
function fixtureBytes(f: FixtureSpec): Uint8Array {
  const hex = f.bytes.map(([, h]) => h).join('').replace(/\s+/g, '');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The JSON text of every VERSION fixture that carries one: the body after the 4-byte version, without its NUL. */
function versionJsonTexts(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const f of fixtures) {
    if (f.message['cmd'] !== 1) continue;
    const bytes = fixtureBytes(f);
    const tail = bytes.subarray(16 + 4);
    if (tail.length === 0) continue;
    const end = tail[tail.length - 1] === 0 ? tail.length - 1 : tail.length;
    out.push({ name: f.name, text: new TextDecoder('utf-8', { fatal: true }).decode(tail.subarray(0, end)) });
  }
  return out;
}

test('the committed schema is what generateSchema() writes', (t) => {
  t.is(generateSchema().get(SCHEMA_PATH), committedText);
});

test('the schema is draft 2020-12, named, and marked as generated', (t) => {
  t.is(schema['$schema'], 'https://json-schema.org/draft/2020-12/schema');
  t.is(schema['$id'], SCHEMA_ID);
  t.is(typeof schema['title'], 'string');
  t.is(typeof schema['description'], 'string');
  t.regex(String(schema['$comment']), /Generated from spec\/ by generator\/schema\.ts \(npm run generate\)\. Do not edit\./);
  t.true(committedText.endsWith('}\n'));
  t.is(committedText, `${JSON.stringify(schema, null, 2)}\n`);
});

test('every VERSION fixture with a JSON tail is valid', (t) => {
  const texts = versionJsonTexts();
  t.log(`${texts.length} VERSION fixture(s) with JSON`);
  for (const { name, text } of texts) {
    const doc: unknown = JSON.parse(text);
    t.true(valid(doc), `${name}: ${ajv.errorsText(validate.errors)}`);
  }
  t.true(texts.length >= 5, `${texts.length} VERSION fixtures with JSON`);
});

test('the JSON libvfio-user\'s server sends (json-c spacing) is valid', (t) => {
  const text =
    '{ "capabilities": { "max_msg_fds": 8, "max_data_xfer_size": 1048576, "migration": { "pgsize": 4096 }, "twin_socket": { "supported": true, "fd_index": 0 }, "iommufd": { "supported": true } } }';
  t.true(valid(JSON.parse(text)), ajv.errorsText(validate.errors));
});

test('the JSON QEMU\'s client sends is valid', (t) => {
  const text =
    '{"capabilities": {"max_msg_fds": 16, "max_data_xfer_size": 1048576, "pgsizes": 4096, "max_dma_maps": 65535, "migration": {"pgsize": 4096, "max_bitmap_size": 268435456}, "write_multiple": true}}';
  t.true(valid(JSON.parse(text)), ajv.errorsText(validate.errors));
});

test('documents without capabilities, and unknown keys at any level, are valid', (t) => {
  t.true(valid({}));
  t.true(valid({ capabilities: {} }));
  t.true(valid({ other: [1, 2], capabilities: { future_key: 'x', migration: { future: null }, iommufd: { supported: false, more: 1 } } }));
});

test('wrong types and out-of-range values are rejected', (t) => {
  const bad: [string, unknown][] = [
    ['iommufd.supported "yes"', { capabilities: { iommufd: { supported: 'yes' } } }],
    ['max_msg_fds -1', { capabilities: { max_msg_fds: -1 } }],
    ['max_msg_fds 1.5', { capabilities: { max_msg_fds: 1.5 } }],
    ['capabilities "23"', { capabilities: '23' }],
    ['twin_socket.fd_index "0"', { capabilities: { twin_socket: { supported: true, fd_index: '0' } } }],
    ['migration 4096', { capabilities: { migration: 4096 } }],
    ['write_multiple 1', { capabilities: { write_multiple: 1 } }],
    ['a top-level array', [{ capabilities: {} }]],
  ];
  for (const [what, doc] of bad) t.false(valid(doc), what);
});

/** The schema node of a capability path, walking `properties`. */
function nodeAt(path: readonly string[]): Record<string, unknown> | undefined {
  let node: Record<string, unknown> | undefined = schema;
  for (const key of path) {
    const props = node?.['properties'] as Record<string, Record<string, unknown>> | undefined;
    node = props?.[key];
  }
  return node;
}

test('every key of spec/capabilities.ts is in the schema with its type, default and range', (t) => {
  let keys = 0;
  const walk = (spec: CapabilitySpec, path: readonly string[]): void => {
    const node = nodeAt(path);
    const where = path.join('.');
    if (node === undefined) {
      t.fail(`${where} missing from the schema`);
      return;
    }
    keys++;
    t.is(node['type'], spec.type, where);
    t.is(node['default'], spec.default, `${where} default`);
    t.is(node['minimum'], spec.minimum, `${where} minimum`);
    t.is(node['maximum'], spec.maximum, `${where} maximum`);
    t.true(String(node['description']).startsWith(spec.doc), `${where} description`);
    if (spec.type === 'object') t.is(node['additionalProperties'], true, `${where} allows unknown keys`);
    for (const k of spec.keys ?? []) walk(k, [...path, k.name]);
  };
  walk(capabilitySpec, [capabilitySpec.name]);
  t.true(keys > 1);
  t.is(schema['additionalProperties'], true);
});

test('a default the spec gives is valid against its own key', (t) => {
  let defaults = 0;
  const walk = (spec: CapabilitySpec, doc: (v: unknown) => unknown): void => {
    if (spec.default !== undefined) {
      defaults++;
      t.true(valid(doc(spec.default)), spec.name);
    }
    for (const k of spec.keys ?? []) walk(k, (v) => doc({ [k.name]: v }));
  };
  for (const k of capabilitySpec.keys ?? []) walk(k, (v) => ({ [capabilitySpec.name]: { [k.name]: v } }));
  t.true(defaults >= 5, `${defaults} defaults`);
});

/**
 * fast-check arbitraries of whole messages, derived from the spec data.
 *
 * Struct fields come from spec/structs.ts through structLayout (u64 ->
 * bigint over the whole range, u32 -> 0..0xffffffff, s32 signed, fixed
 * byte arrays -> Uint8Array of their length). Every rule decode enforces is
 * respected: the `checks` of spec/commands.ts, length fields equal to their
 * tails, the limits of spec/limits.ts (with their defaults), and the tail
 * declarations of spec/ (flag-gated structs, bitmap sizes as the references
 * state them, capability chains, union strides, payloads chosen by fields).
 *
 * The values use the codec's shapes (generated/ts/messages.ts): bodies with
 * the C field names, byte tails as Uint8Array, `null` for empty bodies.
 */
import fc, { type Arbitrary } from 'fast-check';
import { capabilities as capabilitySpec } from '../../spec/capabilities.js';
import { commands } from '../../spec/commands.js';
import { constSets } from '../../spec/constants.js';
import { dialects } from '../../spec/dialects.js';
import { limits } from '../../spec/limits.js';
import { unions } from '../../spec/structs.js';
import type { BodySpec, CapabilitySpec, CheckSpec, CommandSpec, InnerTailSpec, PayloadCaseSpec, ScalarType, TailSpec } from '../../spec/types.js';
import type { Message } from '../../generated/ts/messages.js';
import { structLayout, type FieldLayout } from '../../generator/layout.js';
import { bitmapBytes } from '../../src/bitmap.js';
import { DEFAULT_LIMITS } from '../../src/options.js';

type Body = Record<string, unknown>;

/** A body with the number of bytes it takes and the smallest argsz the rules allow for it. */
interface Built {
  readonly body: Body;
  readonly length: number;
  readonly argszMin: number;
}

const U32_MAX = 0xffffffff;
const U64_MAX = 2n ** 64n - 1n;

/** Default value of every limit, by name. */
export const LIMIT: Readonly<Record<string, number>> = Object.fromEntries(limits.map((l) => [l.name, l.default]));

function limitOf(name: string): number {
  const v = LIMIT[name];
  if (v === undefined) throw new Error(`no limit ${name}`);
  return v;
}

/** Longest byte tail generated: enough for every branch, small enough for speed. */
const MAX_TAIL = 40;

// ---------------------------------------------------------------------------
// Scalars and structs

/** The arbitrary of a wire scalar over its whole range. */
export function scalarArb(type: ScalarType): Arbitrary<number | bigint> {
  switch (type) {
    case 'u8':
      return fc.integer({ min: 0, max: 0xff });
    case 'u16':
      return fc.integer({ min: 0, max: 0xffff });
    case 'u32':
      return fc.integer({ min: 0, max: U32_MAX });
    case 's32':
      return fc.integer({ min: -0x80000000, max: 0x7fffffff });
    case 'u64':
      return fc.bigInt({ min: 0n, max: U64_MAX });
  }
}

const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: U32_MAX });
const u64 = fc.bigInt({ min: 0n, max: U64_MAX });

function fieldArb(f: FieldLayout): Arbitrary<unknown> {
  const s = f.spec;
  if (s.type === 'bytes') return fc.uint8Array({ minLength: f.size, maxLength: f.size });
  if (s.type === 'struct') {
    if (s.struct === undefined) throw new Error(`${f.name}: struct field without a struct`);
    return structArb(s.struct);
  }
  return scalarArb(s.type);
}

function fieldOf(struct: string, name: string): FieldLayout {
  const f = structLayout(struct).fields.find((x) => x.name === name);
  if (f === undefined) throw new Error(`spec: ${struct} has no field ${name}`);
  return f;
}

/** Every field of the struct, from its layout; `overrides` replace single fields. */
export function structArb(name: string, overrides: Readonly<Record<string, Arbitrary<unknown>>> = {}): Arbitrary<Body> {
  const model: Record<string, Arbitrary<unknown>> = {};
  for (const f of structLayout(name).fields) model[f.name] = overrides[f.name] ?? fieldArb(f);
  return fc.record(model);
}

/** A length or count as its field's type: bigint for u64, number otherwise. */
function asField(struct: string, field: string, n: number): number | bigint {
  return fieldOf(struct, field).spec.type === 'u64' ? BigInt(n) : n;
}

function maskOf(setName: string): number {
  const set = constSets.find((s) => s.name === setName);
  if (set === undefined) throw new Error(`spec: no constant set ${setName}`);
  return set.values.reduce((m, v) => (m | v.value) >>> 0, 0);
}

function bitsOf(mask: number): number[] {
  const out: number[] = [];
  for (let b = 0; b < 32; b++) if ((mask >>> b) & 1) out.push((1 << b) >>> 0);
  return out;
}

/** Field arbitraries that satisfy a body's checks (argsz-covers is applied once the tail is known). */
function checkedFields(struct: string, checks: readonly CheckSpec[]): Record<string, Arbitrary<unknown>> {
  const out: Record<string, Arbitrary<unknown>> = {};
  for (const c of checks) {
    switch (c.kind) {
      case 'known-bits': {
        const mask = maskOf(c.set);
        out[c.field] = u32.map((x) => (x & mask) >>> 0);
        break;
      }
      case 'one-of':
        out[c.field] = fc.tuple(...c.masks.map((m) => fc.constantFrom(...bitsOf(m)))).map((bits) => bits.reduce((a, b) => (a | b) >>> 0, 0));
        break;
      case 'allowed':
        out[c.field] = fc.constantFrom(...c.values);
        break;
      case 'zero':
        out[c.field] = fc.constant(0);
        break;
      case 'limit': {
        const max = limitOf(c.limit);
        out[c.field] =
          fieldOf(struct, c.field).spec.type === 'u64' ? fc.bigInt({ min: 0n, max: BigInt(max) }) : fc.integer({ min: 0, max: Math.min(max, U32_MAX) });
        break;
      }
      case 'not-all':
      case 'some-of':
      case 'argsz-covers':
        break;
    }
  }
  // Rules that narrow another rule's values.
  for (const c of checks) {
    if (c.kind === 'not-all') {
      const base = (out[c.field] ?? fieldArb(fieldOf(struct, c.field))) as Arbitrary<number>;
      out[c.field] = base.filter((x) => (x & c.bits) !== c.bits);
    } else if (c.kind === 'some-of') {
      const base = (out[c.field] ?? fieldArb(fieldOf(struct, c.field))) as Arbitrary<number>;
      out[c.field] = base.filter((x) => (x & c.mask) !== 0);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// VERSION JSON, from spec/capabilities.ts

const MIN_SAFE = Number.MIN_SAFE_INTEGER;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** A JSON value the parser gives back unchanged: no floats (-0, exponents), no unsafe integers. */
const extraValue: Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'grapheme', maxLength: 4 }),
  fc.boolean(),
  fc.constant(null),
  fc.integer(),
  fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 3 }),
  fc.dictionary(
    fc.string({ maxLength: 4 }).filter((k) => k !== '__proto__'),
    fc.integer(),
    { maxKeys: 2 },
  ),
);

/** A typed value (what parseVersionJson returns) and the plain JSON value it is written from. */
interface JsonPair {
  readonly typed: unknown;
  readonly plain: unknown;
}

function capabilityArb(node: CapabilitySpec): Arbitrary<JsonPair> {
  switch (node.type) {
    case 'integer':
      return fc.integer({ min: node.minimum ?? MIN_SAFE, max: node.maximum ?? MAX_SAFE }).map((n) => ({ typed: n, plain: n }));
    case 'boolean':
      return fc.boolean().map((b) => ({ typed: b, plain: b }));
    case 'object':
      return objectArb(node.keys ?? []);
  }
}

/** An object with any subset of its known keys and, sometimes, unknown keys kept in `extra`. */
function objectArb(keys: readonly CapabilitySpec[]): Arbitrary<JsonPair> {
  const known = new Set(keys.map((k) => k.name));
  const model: Record<string, Arbitrary<JsonPair>> = {};
  for (const k of keys) model[k.name] = capabilityArb(k);
  const extraKey = fc.string({ minLength: 1, maxLength: 10 }).filter((k) => !known.has(k) && k !== '__proto__');
  return fc
    .tuple(fc.record(model, { requiredKeys: [] }), fc.option(fc.dictionary(extraKey, extraValue, { minKeys: 1, maxKeys: 3 }), { nil: undefined }))
    .map(([present, extra]) => {
      const typed: Record<string, unknown> = {};
      const plain: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(present)) {
        if (v === undefined) continue;
        typed[k] = v.typed;
        plain[k] = v.plain;
      }
      if (extra !== undefined) {
        const copy: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(extra)) {
          copy[k] = v;
          plain[k] = v;
        }
        typed['extra'] = copy;
      }
      return { typed, plain };
    });
}

const encoder = new TextEncoder();

/**
 * A VERSION tail: the JSON text (without its NUL) and the VersionJson the
 * parser must return, or no JSON at all (empty data, json null).
 */
export const versionJsonArb: Arbitrary<{ data: Uint8Array; json: unknown }> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(null).map(() => ({ data: new Uint8Array(0), json: null })) },
  {
    weight: 4,
    arbitrary: fc.tuple(objectArb([capabilitySpec]), fc.constantFrom<number | undefined>(undefined, 1, 2)).map(([pair, space]) => ({
      data: encoder.encode(JSON.stringify(pair.plain, null, space)),
      json: pair.typed,
    })),
  },
);

// ---------------------------------------------------------------------------
// Dirty bitmaps

/**
 * A page size (a power of two) and a window length whose bitmap stays small:
 * pages = ceil(length / pgsize), bytes = ceil(pages / 64) * 8 (reference
 * section 5.9), with length built from the page count so the rule is
 * computed here independently of the codec.
 */
const smallBitmapWindow: Arbitrary<{ pgsize: bigint; length: bigint; bytes: number }> = fc.integer({ min: 0, max: 63 }).chain((k) => {
  const pgsize = 1n << BigInt(k);
  return fc.tuple(fc.integer({ min: 0, max: k >= 55 ? 1 : 300 }), fc.bigInt({ min: 0n, max: pgsize - 1n })).map(([pages, r]) => ({
    pgsize,
    length: pages === 0 ? 0n : BigInt(pages) * pgsize - r,
    bytes: Math.ceil(pages / 64) * 8,
  }));
});

const windowWithBitmap = smallBitmapWindow.chain((w) => fc.uint8Array({ minLength: w.bytes, maxLength: w.bytes }).map((data) => ({ ...w, data })));

// ---------------------------------------------------------------------------
// Tails

/** A constant's value by C name. */
function constValue(name: string): number {
  for (const set of constSets) for (const c of set.values) if (c.name === name) return c.value;
  throw new Error(`spec: no constant ${name}`);
}

function isUnion(name: string): boolean {
  return unions.some((u) => u.name === name);
}

/** Sets a field by a dotted path (`bitmap.size`) in a copy of `o`. */
function withPath(o: Body, path: string, value: unknown): Body {
  const [head, ...rest] = path.split('.');
  return { ...o, [head!]: rest.length === 0 ? value : withPath(o[head!] as Body, rest.join('.'), value) };
}

function fieldAtPath(struct: string, path: string): FieldLayout {
  const [head, ...rest] = path.split('.');
  const f = fieldOf(struct, head!);
  return rest.length === 0 ? f : fieldAtPath(f.spec.struct!, rest.join('.'));
}

/** A length or count as the type of the field at a dotted path. */
function asPath(struct: string, path: string, n: number): number | bigint {
  return fieldAtPath(struct, path).spec.type === 'u64' ? BigInt(n) : n;
}

/** Field arbitraries that keep a nested struct's limited fields under their limits. */
function limitedFields(struct: string, checks: readonly CheckSpec[]): Arbitrary<Body> {
  let arb = structArb(struct);
  for (const c of checks) {
    if (c.kind !== 'limit') continue;
    const max = limitOf(c.limit);
    const f = fieldAtPath(struct, c.field);
    const value = f.spec.type === 'u64' ? fc.bigInt({ min: 0n, max: BigInt(max) }) : fc.integer({ min: 0, max: Math.min(max, U32_MAX) });
    arb = fc.tuple(arb, value).map(([o, x]) => withPath(o, c.field, x));
  }
  return arb;
}

/** An array of `of` (a struct, or each element of one member of a union), at most `most` long, and its size in bytes. */
function elementsArb(of: string, most: number, minLength = 0, elementMax?: { readonly field: string; readonly max: number }): Arbitrary<{ a: Body[]; bytes: number }> {
  const one = (struct: string): Arbitrary<{ a: Body[]; bytes: number }> => {
    const size = structLayout(struct).fieldsEnd;
    const element = structArb(struct, elementMax === undefined ? {} : { [elementMax.field]: fc.integer({ min: 0, max: elementMax.max }) });
    return fc.array(element, { minLength, maxLength: most }).map((a) => ({ a, bytes: a.length * size }));
  };
  const u = unions.find((x) => x.name === of);
  return u === undefined ? one(of) : fc.oneof(...u.members.map((m) => one(m.struct)));
}

/** Bytes a tail after a nested struct takes: its length field set to match. */
function innerArb(struct: string, t: InnerTailSpec): Arbitrary<{ set: (o: Body) => Body; bytes: number }> {
  if (t.kind === 'array') {
    return elementsArb(t.of, Math.min(t.limit === undefined ? 4 : limitOf(t.limit), 4)).map(({ a, bytes }) => ({
      set: (o: Body) => ({ ...withPath(o, t.length.field, asPath(struct, t.length.field, a.length)), [t.name]: a }),
      bytes,
    }));
  }
  const len = t.length;
  if (len === 'rest') return fc.uint8Array({ maxLength: MAX_TAIL }).map((d) => ({ set: (o: Body) => ({ ...o, [t.name]: d }), bytes: d.length }));
  if ('fixed' in len) return fc.uint8Array({ minLength: len.fixed, maxLength: len.fixed }).map((d) => ({ set: (o: Body) => ({ ...o, [t.name]: d }), bytes: d.length }));
  if ('bitmap' in len) {
    return windowWithBitmap.map((w) => ({
      set: (o: Body) => ({ ...o, [len.bitmap.length]: w.length, [len.bitmap.pageSize]: w.pgsize, [t.name]: w.data }),
      bytes: w.bytes,
    }));
  }
  return fc.uint8Array({ maxLength: MAX_TAIL }).map((d) => ({ set: (o: Body) => ({ ...withPath(o, len.field, asPath(struct, len.field, d.length)), [t.name]: d }), bytes: d.length }));
}

function tailArb(tail: TailSpec, struct: string, base: Arbitrary<Body>, fixed: number, cmd: number): Arbitrary<Built> {
  const built = (body: Body, length: number, argszMin = length): Built => ({ body, length, argszMin });
  switch (tail.kind) {
    case 'bytes': {
      const len = tail.length;
      if (len === 'rest') return fc.tuple(base, fc.uint8Array({ maxLength: 48 })).map(([s, d]) => built({ ...s, [tail.name]: d }, fixed + d.length));
      if (!('field' in len)) return fc.tuple(base, innerArb(struct, tail)).map(([s, x]) => built(x.set(s), fixed + x.bytes));
      const field = len.field;
      const data = fc.uint8Array({ maxLength: MAX_TAIL });
      if (tail.atLeast === true) {
        // The field says how many of the bytes are real; the rest is padding.
        return fc
          .tuple(base, data, fc.nat())
          .map(([s, d, k]) => built({ ...s, [field]: asField(struct, field, k % (d.length + 1)), [tail.name]: d }, fixed + d.length));
      }
      const when = tail.when;
      return fc.tuple(base, data).map(([s, d]) => {
        if (when !== undefined && ((s[when.field] as number) & constValue(when.flag)) === 0) return built({ ...s, [tail.name]: new Uint8Array(0) }, fixed);
        return built({ ...s, [field]: asField(struct, field, d.length), [tail.name]: d }, fixed + d.length);
      });
    }
    case 'array': {
      const field = tail.length.field;
      const most = Math.min(tail.limit === undefined ? 10 : limitOf(tail.limit), isUnion(tail.of) ? 4 : 10);
      const present = fc
        .tuple(base, elementsArb(tail.of, most, isUnion(tail.of) ? 1 : 0, tail.elementMax))
        .map(([s, { a, bytes }]) => built({ ...s, [field]: asField(struct, field, a.length), [tail.name]: a }, fixed + bytes));
      if (tail.omittable !== true) return present;
      // Left out because it did not fit: the count stays (any value within the limit), the array is empty.
      const omitted = fc
        .tuple(base, fc.integer({ min: isUnion(tail.of) ? 0 : 1, max: isUnion(tail.of) ? limitOf(tail.limit!) : most }))
        .map(([s, k]) => built({ ...s, [field]: asField(struct, field, k), [tail.name]: [] }, fixed));
      return fc.oneof(omitted, present);
    }
    case 'json':
      return fc.tuple(base, versionJsonArb).map(([s, j]) => built({ ...s, [tail.name]: j.data, json: j.json }, fixed + (j.data.length === 0 ? 0 : j.data.length + 1)));
    case 'optional':
      return optionalArb(base, struct, fixed, tail);
    case 'chain':
      return chainArb(base, fixed, tail);
    case 'select':
      return selectArb(base, fixed, tail);
    default:
      throw new Error(`command ${cmd}: no arbitrary for tail ${(tail as { kind: string }).kind}`);
  }
}

/**
 * A struct present when its flag is set in the body (else null). A struct
 * sized by a window (a bitmap-size rule) gets a window whose bitmap size is
 * right (reference section 5.9); limited fields stay within their limits.
 */
function optionalArb(base: Arbitrary<Body>, struct: string, fixed: number, t: Extract<TailSpec, { kind: 'optional' }>): Arbitrary<Built> {
  const bit = constValue(t.when.flag);
  const T = structLayout(t.struct).fieldsEnd;
  const sized = t.checks?.find((c): c is Extract<CheckSpec, { kind: 'bitmap-size' }> => c.kind === 'bitmap-size');
  type Present = { body: (s: Body) => Body; x: Body; bytes: number };
  let present: Arbitrary<Present>;
  if (sized !== undefined) {
    present = windowWithBitmap.map((w) => {
      let x: Body = { [sized.pageSize]: w.pgsize, [sized.field]: BigInt(w.bytes) };
      let bytes = 0;
      if (t.then !== undefined) {
        x = { ...x, [t.then.name]: w.data };
        bytes = w.bytes;
      }
      return { body: (s: Body) => ({ ...s, [sized.length]: w.length }), x, bytes };
    });
  } else {
    const limited = limitedFields(t.struct, t.checks ?? []);
    present =
      t.then === undefined
        ? limited.map((x) => ({ body: (s: Body) => s, x, bytes: 0 }))
        : fc.tuple(structArb(t.struct), innerArb(t.struct, t.then)).map(([x, inner]) => ({ body: (s: Body) => s, x: inner.set(x), bytes: inner.bytes }));
  }
  return fc.tuple(base, present).map(([s, p]): Built => {
    if (((s[t.when.field] as number) & bit) === 0) return { body: { ...s, [t.name]: null }, length: fixed, argszMin: fixed };
    const length = fixed + T + p.bytes;
    const room = t.argszRoom === undefined ? length : fixed + T + Number(p.x[t.argszRoom] as bigint);
    return { body: { ...p.body(s), [t.name]: p.x }, length, argszMin: room };
  });
}

/** A chain: none without its flag, or capabilities that tile the bytes after the struct, linked in any order. */
function chainArb(base: Arbitrary<Body>, fixed: number, t: Extract<TailSpec, { kind: 'chain' }>): Arbitrary<Built> {
  const flag = constValue(t.when.flag);
  const H = structLayout(t.header).fieldsEnd;
  type Cap = { cap: Body; size: number };
  const ids = t.cases.map((c) => constValue(c.id));
  const known = t.cases.map((c): Arbitrary<Cap> => {
    const id = constValue(c.id);
    if (c.struct === undefined) return u16.map((version) => ({ cap: { kind: c.kind, header: { id, version } }, size: H }));
    const T = structLayout(c.struct).fieldsEnd;
    const struct = structArb(c.struct).map((x) => ({ ...x, kind: c.kind, header: { id, version: (x['header'] as Body)['version'] } }));
    if (c.then === undefined) return struct.map((x) => ({ cap: x, size: T }));
    return fc.tuple(struct, innerArb(c.struct, c.then)).map(([x, inner]) => ({ cap: inner.set(x), size: T + inner.bytes }));
  });
  const raw = fc
    .tuple(u16.filter((id) => !ids.includes(id)), u16, fc.uint8Array({ maxLength: 24 }))
    .map(([id, version, data]): Cap => ({ cap: { kind: 'raw', header: { id, version }, data }, size: H + data.length }));
  const capList = fc.array(fc.oneof(...known, raw), { minLength: 1, maxLength: 4 }).chain((caps) =>
    fc.shuffledSubarray([...caps.keys()], { minLength: caps.length, maxLength: caps.length }).map((order) => ({ caps, order })),
  );
  const flags = t.when.field;
  const none = base.map((s): Built => ({ body: { ...s, [flags]: ((s[flags] as number) & ~flag) >>> 0, [t.name]: [] }, length: fixed, argszMin: fixed }));
  const some = fc.tuple(base, capList).map(([s, { caps, order }]): Built => {
    // Laid out in generation order after the struct; chained in `order`.
    const positions: number[] = [];
    let end = fixed;
    for (const c of caps) {
      positions.push(end);
      end += c.size;
    }
    const chain = order.map((i, k) => {
      const c = caps[i]!.cap;
      const next = k + 1 < order.length ? positions[order[k + 1]!]! : 0;
      return { ...c, header: { ...(c['header'] as Body), next } };
    });
    return { body: { ...s, [flags]: ((s[flags] as number) | flag) >>> 0, [t.offsetField]: positions[order[0]!]!, [t.name]: chain }, length: end, argszMin: end };
  });
  return fc.oneof(none, some);
}

/**
 * A payload chosen by the body's fields: either the bits under each test's
 * mask are set to a case's values, or left as the body has them; the first
 * case whose tests hold (reference section 5.11) lays out the payload, raw
 * bytes when none does.
 */
function selectArb(base: Arbitrary<Body>, fixed: number, t: Extract<TailSpec, { kind: 'select' }>): Arbitrary<Built> {
  const tests = (c: PayloadCaseSpec) => c.when.map((w) => ({ field: w.field, mask: w.mask.reduce((m, x) => m | constValue(x), 0), is: w.is.map(constValue) }));
  const aimed = fc.oneof(
    fc.constant(null),
    fc.constantFrom(...t.cases).chain((c) => fc.tuple(...tests(c).map((w) => fc.constantFrom(...w.is).map((v) => ({ ...w, v }))))),
  );
  return fc.tuple(base, aimed).chain(([s0, aim]) => {
    let s = s0;
    for (const w of aim ?? []) s = { ...s, [w.field]: (((s[w.field] as number) & ~w.mask) | w.v) >>> 0 };
    const hit = t.cases.find((c) => tests(c).every((w) => w.is.includes((s[w.field] as number) & w.mask)));
    return payloadArb(hit).map((p): Built => ({ body: { ...s, [t.name]: p.data }, length: fixed + p.length, argszMin: fixed + p.length }));
  });
}

/** The payload of one case (raw bytes without one). */
function payloadArb(c: PayloadCaseSpec | undefined): Arbitrary<{ data: Body; length: number }> {
  if (c === undefined) return fc.uint8Array({ maxLength: 32 }).map((bytes) => ({ data: { kind: 'raw', bytes }, length: bytes.length }));
  if (c.struct === undefined) return fc.constant({ data: { kind: c.kind }, length: 0 });
  const T = structLayout(c.struct).fieldsEnd;
  let struct = structArb(c.struct);
  const r = c.replyBitmap;
  if (r !== undefined) {
    // A request whose reply bitmap could not be received (above the limit) is refused by the decoder.
    struct = struct.filter((x) => {
      const page = x[r.pageSize] as bigint;
      return page === 0n || (page & (page - 1n)) !== 0n || bitmapBytes(x[r.length] as bigint, page) <= BigInt(limitOf(r.limit));
    });
  }
  if (c.then === undefined) return struct.map((x) => ({ data: { kind: c.kind, ...x }, length: T }));
  return fc.tuple(struct, innerArb(c.struct, c.then)).map(([x, inner]) => ({ data: { kind: c.kind, ...inner.set(x) }, length: T + inner.bytes }));
}

// ---------------------------------------------------------------------------
// Bodies and messages

/** The body spec of a command's message in a dialect (its override, or the command's own). */
export function bodySpecOf(cmd: number, kind: 'command' | 'reply', dialect = 'default'): BodySpec {
  const message = kind === 'command' ? 'request' : 'reply';
  const d = dialects.find((x) => x.name === dialect);
  if (d === undefined) throw new Error(`no dialect ${dialect}`);
  const override = d.overrides.find((o) => o.cmd === cmd && o.message === message);
  if (override !== undefined) return override.body;
  const spec: CommandSpec | undefined = commands.find((c) => c.cmd === cmd);
  if (spec === undefined) throw new Error(`no command ${cmd}`);
  return spec[message];
}

/** Bodies decode accepts for that body spec. */
export function bodyArb(spec: BodySpec, cmd: number): Arbitrary<unknown> {
  if (spec.kind === 'empty') return fc.constant(null);
  const checks = spec.checks ?? [];
  const fixed = structLayout(spec.struct).fieldsEnd;
  const base = structArb(spec.struct, checkedFields(spec.struct, checks));
  let built: Arbitrary<Built> =
    spec.tail === undefined ? base.map((body) => ({ body, length: fixed, argszMin: fixed })) : tailArb(spec.tail, spec.struct, base, fixed, cmd);
  if (checks.some((c) => c.kind === 'argsz-covers')) {
    const slack = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 64 }), u32);
    built = fc.tuple(built, slack).map(([b, extra]) => ({ ...b, body: { ...b.body, argsz: Math.min(U32_MAX, Math.max(b.length, b.argszMin) + extra) } }));
  }
  const bodies = built.map((b) => b.body);
  return spec.emptyAllowed === true ? fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 4, arbitrary: bodies }) : bodies;
}

/** Reserved header flag bits (6-31): mostly 0, sometimes anything. */
const reservedFlags = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: u32.map((x) => (x & ~0x3f) >>> 0) });

/** Header flags of a command (type 0, maybe NO_REPLY) or a reply (type 1), never ERROR. */
export function headerFlagsArb(kind: 'command' | 'reply'): Arbitrary<number> {
  return fc.tuple(reservedFlags, fc.boolean()).map(([r, noReply]) => (r | (noReply ? 0x10 : 0) | (kind === 'reply' ? 1 : 0)) >>> 0);
}

/** A command or reply of `cmd` in `dialect`, as decode returns it. */
export function messageArb(cmd: number, kind: 'command' | 'reply', dialect = 'default'): Arbitrary<Message> {
  return fc
    .record({
      msg_id: u16,
      flags: headerFlagsArb(kind),
      error_no: fc.oneof(fc.constant(0), u32),
      body: bodyArb(bodySpecOf(cmd, kind, dialect), cmd),
    })
    .map((h) => ({ kind, cmd, ...h }) as Message);
}

/** An error reply of any command number: flags REPLY|ERROR (maybe NO_REPLY and reserved bits), error_no up to maxErrorNo, any body. */
export const errorMessageArb: Arbitrary<Message> = fc
  .record({
    cmd: u16,
    msg_id: u16,
    flags: fc.tuple(reservedFlags, fc.boolean()).map(([r, noReply]) => (r | (noReply ? 0x10 : 0) | 0x21) >>> 0),
    error_no: fc.integer({ min: 0, max: limitOf('maxErrorNo') }),
    body: fc.uint8Array({ maxLength: MAX_TAIL }),
  })
  .map((h) => ({ kind: 'error', ...h }) as Message);

// ---------------------------------------------------------------------------
// Mutated and random bytes

type Mutation =
  | { op: 'set'; at: number; value: number }
  | { op: 'word'; at: number; value: number }
  | { op: 'truncate'; at: number; fixSize: boolean }
  | { op: 'extend'; bytes: Uint8Array; fixSize: boolean }
  | { op: 'msg_size'; value: number };

const interestingU32 = fc.oneof(fc.constantFrom(0, 1, 2, 4, 7, 8, 15, 16, 24, 0x7f, 0x80, 0xff, 0x1000, 0x7fffffff, 0x80000000, U32_MAX), u32);

const mutation: Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 0xff }) }),
  fc.record({ op: fc.constant('word' as const), at: fc.nat(), value: interestingU32 }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat(), fixSize: fc.boolean() }),
  fc.record({ op: fc.constant('extend' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 24 }), fixSize: fc.boolean() }),
  fc.record({ op: fc.constant('msg_size' as const), value: interestingU32 }),
);

function setMsgSize(b: Uint8Array, value: number): void {
  if (b.length >= 8) new DataView(b.buffer, b.byteOffset, b.length).setUint32(4, value >>> 0, true);
}

function applyMutation(b: Uint8Array, m: Mutation): Uint8Array {
  switch (m.op) {
    case 'set': {
      if (b.length === 0) return b;
      const out = b.slice();
      out[m.at % out.length] = m.value;
      return out;
    }
    case 'word': {
      if (b.length < 4) return b;
      const out = b.slice();
      const at = (m.at % (out.length - 3)) & ~3;
      new DataView(out.buffer).setUint32(at, m.value >>> 0, true);
      return out;
    }
    case 'truncate': {
      const out = b.slice(0, m.at % (b.length + 1));
      if (m.fixSize) setMsgSize(out, out.length);
      return out;
    }
    case 'extend': {
      const out = new Uint8Array(b.length + m.bytes.length);
      out.set(b);
      out.set(m.bytes, b.length);
      if (m.fixSize) setMsgSize(out, out.length);
      return out;
    }
    case 'msg_size': {
      const out = b.slice();
      setMsgSize(out, m.value);
      return out;
    }
  }
}

/**
 * One of `seeds` (by index) with one to four mutations: bytes overwritten,
 * words overwritten with interesting values, truncated, extended, msg_size
 * changed. Three times in four msg_size is then set to the new length, so
 * that most inputs get past the header to the body decoders.
 */
export function mutatedArb(seeds: readonly Uint8Array[]): Arbitrary<{ seed: number; bytes: Uint8Array }> {
  const fixSize = fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) });
  return fc.tuple(fc.integer({ min: 0, max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), fixSize).map(([seed, ms, fix]) => {
    const bytes = ms.reduce(applyMutation, seeds[seed]!);
    if (fix && bytes.length >= 8) {
      const out = bytes.slice();
      setMsgSize(out, out.length);
      return { seed, bytes: out };
    }
    return { seed, bytes };
  });
}

/** Random bodies behind a plausible header (msg_size right, cmd 0..30, flags of every type), and fully random bytes. */
export const randomBytesArb: Arbitrary<Uint8Array> = fc.oneof(
  fc
    .tuple(u16, fc.integer({ min: 0, max: 30 }), fc.oneof(fc.constantFrom(0, 1, 0x10, 0x21, 0x20, 2, 0xf), u32), fc.oneof(fc.constant(0), u32), fc.uint8Array({ maxLength: 96 }))
    .map(([msgId, cmd, flags, errorNo, body]) => {
      const out = new Uint8Array(16 + body.length);
      const v = new DataView(out.buffer);
      v.setUint16(0, msgId, true);
      v.setUint16(2, cmd, true);
      v.setUint32(4, out.length, true);
      v.setUint32(8, flags >>> 0, true);
      v.setUint32(12, errorNo >>> 0, true);
      out.set(body, 16);
      return out;
    }),
  fc.uint8Array({ maxLength: 64 }),
);

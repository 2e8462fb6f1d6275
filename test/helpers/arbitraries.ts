/**
 * fast-check arbitraries of whole messages, derived from the spec data.
 *
 * Struct fields come from spec/structs.ts through structLayout (u64 ->
 * bigint over the whole range, u32 -> 0..0xffffffff, s32 signed, fixed
 * byte arrays -> Uint8Array of their length). Every rule decode enforces is
 * respected: the `checks` of spec/commands.ts, length fields equal to their
 * tails, the limits of spec/limits.ts (with their defaults), and the tail
 * rules of src/tails.ts as the references state them (bitmap sizes,
 * capability chains, IO_FDS strides, DEVICE_FEATURE payload kinds).
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
import type { BodySpec, CapabilitySpec, CheckSpec, CommandSpec, ScalarType, TailSpec } from '../../spec/types.js';
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

function tailArb(tail: TailSpec, struct: string, base: Arbitrary<Body>, fixed: number, cmd: number, allowed?: readonly number[]): Arbitrary<Built> {
  const built = (body: Body, length: number, argszMin = length): Built => ({ body, length, argszMin });
  switch (tail.kind) {
    case 'data': {
      if (tail.length === 'rest') {
        return fc.tuple(base, fc.uint8Array({ maxLength: MAX_TAIL })).map(([s, d]) => built({ ...s, [tail.name]: d }, fixed + d.length));
      }
      const field = tail.length.field;
      const data = fc.uint8Array({ maxLength: MAX_TAIL });
      if (tail.atLeast === true) {
        // The field says how many of the bytes are real; the rest is padding.
        return fc
          .tuple(base, data, fc.nat())
          .map(([s, d, k]) => built({ ...s, [field]: asField(struct, field, k % (d.length + 1)), [tail.name]: d }, fixed + d.length));
      }
      const when = tail.whenFlag;
      return fc.tuple(base, data).map(([s, d]) => {
        if (when !== undefined && ((s['flags'] as number) & when) === 0) return built({ ...s, [tail.name]: new Uint8Array(0) }, fixed);
        return built({ ...s, [field]: asField(struct, field, d.length), [tail.name]: d }, fixed + d.length);
      });
    }
    case 'padding':
      return fc.tuple(base, fc.uint8Array({ maxLength: 48 })).map(([s, p]) => built({ ...s, [tail.name]: p }, fixed + p.length));
    case 'array': {
      if (tail.length === 'rest') throw new Error('array tails with length rest are not used');
      const field = tail.length.field;
      const elementSize = structLayout(tail.struct).fieldsEnd;
      const em = tail.elementMax;
      const element = structArb(tail.struct, em === undefined ? {} : { [em.field]: fc.integer({ min: 0, max: em.max }) });
      const most = Math.min(tail.limit === undefined ? 10 : limitOf(tail.limit), 10);
      const present = fc
        .tuple(base, fc.array(element, { maxLength: most }))
        .map(([s, a]) => built({ ...s, [field]: asField(struct, field, a.length), [tail.name]: a }, fixed + a.length * elementSize));
      if (tail.omittable !== true) return present;
      // Left out because it did not fit: the count stays, the array is empty.
      const omitted = fc.tuple(base, fc.integer({ min: 1, max: most })).map(([s, k]) => built({ ...s, [field]: asField(struct, field, k), [tail.name]: [] }, fixed));
      return fc.oneof(present, omitted);
    }
    case 'bitmap':
      return fc
        .tuple(base, windowWithBitmap)
        .map(([s, w]) => built({ ...s, [tail.lengthField]: w.length, [tail.pageSizeField]: w.pgsize, [tail.name]: w.data }, fixed + w.bytes));
    case 'json':
      return fc.tuple(base, versionJsonArb).map(([s, j]) => built({ ...s, [tail.name]: j.data, json: j.json }, fixed + (j.data.length === 0 ? 0 : j.data.length + 1)));
    case 'unmap_bitmap':
      return unmapBitmapArb(base, tail.name, tail.withData, allowed);
    case 'dirty_bitmap':
      return dirtyRangeArb(base, tail.name, tail.withData);
    case 'region_caps':
      return regionCapsArb(base, tail.name);
    case 'sub_regions':
      return subRegionsArb(base, tail.name);
    case 'feature':
      return featureArb(base, tail.name, tail.reply);
    default:
      throw new Error(`command ${cmd}: no arbitrary for tail ${(tail as { kind: string }).kind}`);
  }
}

/**
 * DMA_UNMAP: flags 0 or ALL with no bitmap, or GET_DIRTY_BITMAP with a window whose bitmap size is right.
 * With `allowed` (a dialect that numbers the flags otherwise), any allowed value but bit 0, with no bitmap.
 */
function unmapBitmapArb(base: Arbitrary<Body>, name: string, withData: boolean, allowed?: readonly number[]): Arbitrary<Built> {
  const plainFlags = allowed === undefined ? [0, 2] : allowed.filter((x) => (x & 1) === 0);
  const plain = fc.tuple(base, fc.constantFrom(...plainFlags)).map(([s, flags]): Built => ({ body: { ...s, flags, [name]: null }, length: 24, argszMin: 24 }));
  if (allowed !== undefined && !allowed.includes(1)) return plain;
  const dirty = fc.tuple(base, windowWithBitmap).map(([s, w]): Built => {
    const bitmap = withData ? { pgsize: w.pgsize, size: BigInt(w.bytes), data: w.data } : { pgsize: w.pgsize, size: BigInt(w.bytes) };
    return { body: { ...s, flags: 1, size: w.length, [name]: bitmap }, length: withData ? 40 + w.bytes : 40, argszMin: 40 + w.bytes };
  });
  return fc.oneof(plain, dirty);
}

/** Legacy DIRTY_PAGES: a vfio_user_bitmap_range when flags has GET_BITMAP (4). */
function dirtyRangeArb(base: Arbitrary<Body>, name: string, withData: boolean): Arbitrary<Built> {
  const GET_BITMAP = 4;
  const limited = structArb('vfio_user_bitmap_range', {
    bitmap: structArb('vfio_user_bitmap', { size: fc.bigInt({ min: 0n, max: BigInt(limitOf('maxBitmapBytes')) }) }),
  });
  const withBytes = fc.tuple(structArb('vfio_user_bitmap_range'), fc.uint8Array({ maxLength: MAX_TAIL })).map(([r, d]) => ({
    ...r,
    bitmap: { ...(r['bitmap'] as Body), size: BigInt(d.length) },
    data: d,
  }));
  return fc.tuple(base, withData ? withBytes : limited).map(([s, r]): Built => {
    if (((s['flags'] as number) & GET_BITMAP) === 0) return { body: { ...s, [name]: null }, length: 8, argszMin: 8 };
    const length = 8 + 32 + (withData ? (r['data'] as Uint8Array).length : 0);
    return { body: { ...s, [name]: r }, length, argszMin: length };
  });
}

/** GET_REGION_INFO reply: no caps without CAPS, or a chain that tiles the bytes after the struct, walked in any order. */
function regionCapsArb(base: Arbitrary<Body>, name: string): Arbitrary<Built> {
  const CAPS = 0x8;
  const REGION_INFO = structLayout('vfio_region_info').fieldsEnd;
  const sparseFixed = structLayout('vfio_region_info_cap_sparse_mmap').fieldsEnd;
  const areaSize = structLayout('vfio_region_sparse_mmap_area').fieldsEnd;
  const typeSize = structLayout('vfio_region_info_cap_type').fieldsEnd;
  const headerSize = structLayout('vfio_info_cap_header').fieldsEnd;
  type Cap = { cap: Body; size: number };
  const sparse = fc
    .tuple(u16, u32, fc.array(structArb('vfio_region_sparse_mmap_area'), { maxLength: 4 }))
    .map(([version, reserved, areas]): Cap => ({
      cap: { kind: 'sparse_mmap', header: { id: 1, version }, nr_areas: areas.length, reserved, areas },
      size: sparseFixed + areas.length * areaSize,
    }));
  const type = fc.tuple(u16, u32, u32).map(([version, t, subtype]): Cap => ({ cap: { kind: 'type', header: { id: 2, version }, type: t, subtype }, size: typeSize }));
  const msix = u16.map((version): Cap => ({ cap: { kind: 'msix_mappable', header: { id: 3, version } }, size: headerSize }));
  const raw = fc
    .tuple(u16.filter((id) => id < 1 || id > 3), u16, fc.uint8Array({ maxLength: 24 }))
    .map(([id, version, data]): Cap => ({ cap: { kind: 'raw', header: { id, version }, data }, size: headerSize + data.length }));
  const capList = fc.array(fc.oneof(sparse, type, msix, raw), { minLength: 1, maxLength: 4 }).chain((caps) =>
    fc.shuffledSubarray([...caps.keys()], { minLength: caps.length, maxLength: caps.length }).map((order) => ({ caps, order })),
  );
  const none = base.map((s): Built => ({ body: { ...s, flags: ((s['flags'] as number) & ~CAPS) >>> 0, [name]: [] }, length: REGION_INFO, argszMin: REGION_INFO }));
  const some = fc.tuple(base, capList).map(([s, { caps, order }]): Built => {
    // Laid out in generation order from offset 32; chained in `order`.
    const positions: number[] = [];
    let end = REGION_INFO;
    for (const c of caps) {
      positions.push(end);
      end += c.size;
    }
    const chain = order.map((i, k) => {
      const c = caps[i]!.cap;
      const next = k + 1 < order.length ? positions[order[k + 1]!]! : 0;
      return { ...c, header: { ...(c['header'] as Body), next } };
    });
    return { body: { ...s, flags: ((s['flags'] as number) | CAPS) >>> 0, cap_offset: positions[order[0]!]!, [name]: chain }, length: end, argszMin: end };
  });
  return fc.oneof(none, some);
}

/** GET_REGION_IO_FDS reply: the array left out (any count), or count entries of one union member. */
function subRegionsArb(base: Arbitrary<Body>, name: string): Arbitrary<Built> {
  const fixed = structLayout('vfio_user_region_io_fds_reply').fieldsEnd;
  const union = unions.find((u) => u.name === 'sub_region');
  if (union === undefined) throw new Error('spec: no union sub_region');
  const omitted = fc
    .tuple(base, fc.integer({ min: 0, max: limitOf('maxSubRegions') }))
    .map(([s, count]): Built => ({ body: { ...s, count, [name]: [] }, length: fixed, argszMin: fixed }));
  const members = union.members.map((m) => {
    const size = structLayout(m.struct).fieldsEnd;
    return fc
      .tuple(base, fc.array(structArb(m.struct), { minLength: 1, maxLength: 4 }))
      .map(([s, a]): Built => ({ body: { ...s, count: a.length, [name]: a }, length: fixed + a.length * size, argszMin: fixed + a.length * size }));
  });
  return fc.oneof(omitted, ...members);
}

const GET = 0x10000;
const SET = 0x20000;
const OP_MASK = 0x70000;

/** The DEVICE_FEATURE payload for a feature index and operation (reference section 5.11). */
function featurePayload(feature: number, op: number, reply: boolean): Arbitrary<{ data: Body; length: number }> {
  const of = (struct: string, kind: string): Arbitrary<{ data: Body; length: number }> =>
    structArb(struct).map((s) => ({ data: { kind, ...s }, length: structLayout(struct).fieldsEnd }));
  const raw = fc.uint8Array({ maxLength: 32 }).map((bytes) => ({ data: { kind: 'raw', bytes }, length: bytes.length }));
  const reportFixed = structLayout('vfio_user_device_feature_dma_logging_report').fieldsEnd;
  if (op === GET) {
    if (!reply && (feature === 1 || feature === 2)) return fc.constant({ data: { kind: 'none' }, length: 0 });
    if (reply && feature === 1) return of('vfio_user_device_feature_migration', 'migration');
    if (reply && feature === 2) return of('vfio_user_device_feature_mig_state', 'mig_state');
    if (feature === 8) {
      if (!reply) {
        // A request whose reply bitmap could not be received (above maxBitmapBytes) is refused by the decoder.
        const receivable = (s: Record<string, unknown>): boolean => {
          const page = s.page_size as bigint;
          return page === 0n || (page & (page - 1n)) !== 0n || bitmapBytes(s.length as bigint, page) <= BigInt(DEFAULT_LIMITS.maxBitmapBytes);
        };
        return structArb('vfio_user_device_feature_dma_logging_report')
          .filter(receivable)
          .map((s) => ({ data: { kind: 'dma_logging_report', ...s, bitmap: new Uint8Array(0) }, length: reportFixed }));
      }
      return fc.tuple(u64, windowWithBitmap).map(([iova, w]) => ({
        data: { kind: 'dma_logging_report', iova, length: w.length, page_size: w.pgsize, bitmap: w.data },
        length: reportFixed + w.bytes,
      }));
    }
  } else if (op === SET) {
    if (feature === 2) return of('vfio_user_device_feature_mig_state', 'mig_state');
    if (feature === 6 || feature === 7) {
      const control = 'vfio_user_device_feature_dma_logging_control';
      const range = 'vfio_user_device_feature_dma_logging_range';
      return fc.tuple(structArb(control), fc.array(structArb(range), { maxLength: 4 })).map(([c, ranges]) => ({
        data: { kind: 'dma_logging_control', ...c, num_ranges: ranges.length, ranges },
        length: structLayout(control).fieldsEnd + ranges.length * structLayout(range).fieldsEnd,
      }));
    }
  }
  return raw;
}

/** DEVICE_FEATURE: flags = feature index | operation bits, known bits only (requests: at least one operation). */
function featureArb(base: Arbitrary<Body>, name: string, reply: boolean): Arbitrary<Built> {
  const feature = fc.oneof(fc.constantFrom(1, 2, 6, 7, 8), fc.integer({ min: 0, max: 0xffff }));
  const op = fc.integer({ min: reply ? 0 : 1, max: 7 }).map((x) => x << 16);
  const high = fc.constant(0);
  const fixed = structLayout('vfio_user_device_feature').fieldsEnd;
  return fc.tuple(base, feature, op, high).chain(([s, f, o, hi]) =>
    featurePayload(f, o & OP_MASK, reply).map(
      (p): Built => ({ body: { ...s, flags: (hi | o | f) >>> 0, [name]: p.data }, length: fixed + p.length, argszMin: fixed + p.length }),
    ),
  );
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
  // A DMA_UNMAP whose dialect numbers the flags otherwise (rust-vmm) never has bit 0, the bitmap's.
  const flagRule = checks.find((c): c is Extract<CheckSpec, { kind: 'allowed' }> => c.kind === 'allowed' && c.field === 'flags');
  const allowed = flagRule !== undefined && !flagRule.values.includes(1) ? flagRule.values : undefined;
  let built: Arbitrary<Built> =
    spec.tail === undefined ? base.map((body) => ({ body, length: fixed, argszMin: fixed })) : tailArb(spec.tail, spec.struct, base, fixed, cmd, allowed);
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

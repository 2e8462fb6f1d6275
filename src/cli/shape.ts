/**
 * The shape of every decoded message body, derived from spec/: which value
 * is a u64 (a bigint), which a byte string, which a nested struct, and the
 * field spec (flag set, enumeration, direction) of every scalar.
 *
 * The command turns JSON back into messages with it (u64 decimal strings
 * into bigints, hex into bytes) and prints fields by name with it. Struct
 * fields come from spec/structs.ts through the layout; bodies and tails from
 * spec/commands.ts and the dialect overrides of spec/dialects.ts.
 */
import { commands, dialects, unions } from '../spec.js';
import type { BodySpec, FieldSpec, InnerTailSpec, TailSpec } from '../spec.js';
import { structLayout, unionSpec } from '../layout.js';
import type { DialectName } from '../options.js';

/** The shape of a decoded value. `null` is allowed wherever a shape is. */
export type Shape =
  /** A number, or a bigint when `field.type` is `u64`. */
  | { readonly t: 'scalar'; readonly field: FieldSpec }
  /** A byte string (Uint8Array). */
  | { readonly t: 'bytes' }
  /** An object with known keys; `name` is the C struct it comes from. */
  | { readonly t: 'object'; readonly name: string; readonly fields: ReadonlyMap<string, Shape> }
  | { readonly t: 'array'; readonly of: Shape }
  /** One of several objects, told apart by their keys (the IO_FDS sub-region union). */
  | { readonly t: 'union'; readonly members: readonly Shape[] }
  /** Objects told apart by their `kind` key (region capabilities, DEVICE_FEATURE payloads). */
  | { readonly t: 'tagged'; readonly cases: ReadonlyMap<string, Shape> }
  /** A value kept as it is (the parsed VERSION JSON, which encoding does not read). */
  | { readonly t: 'opaque' }
  /** No body: the value is null. */
  | { readonly t: 'empty' };

type ObjectShape = Extract<Shape, { t: 'object' }>;

const BYTES: Shape = { t: 'bytes' };
const OPAQUE: Shape = { t: 'opaque' };
const EMPTY: Shape = { t: 'empty' };

const structCache = new Map<string, ObjectShape>();

/**
 * The shape of a C struct: its fields, then its flexible array member
 * (bytes, an array of structs, or an array of a union) under the member's name.
 */
export function structShape(name: string): ObjectShape {
  const hit = structCache.get(name);
  if (hit !== undefined) return hit;
  const layout = structLayout(name);
  const fields = new Map<string, Shape>();
  for (const f of layout.fields) fields.set(f.name, fieldShape(f.spec));
  const flex = layout.spec.flex;
  if (flex !== undefined) {
    const e = flex.element;
    if (typeof e === 'string') fields.set(flex.name, BYTES);
    else if ('struct' in e) fields.set(flex.name, { t: 'array', of: structShape(e.struct) });
    else fields.set(flex.name, { t: 'array', of: unionShape(e.union) });
  }
  const shape: ObjectShape = { t: 'object', name, fields };
  structCache.set(name, shape);
  return shape;
}

function fieldShape(f: FieldSpec): Shape {
  if (f.type === 'bytes') return BYTES;
  if (f.type === 'struct') {
    if (f.struct === undefined) throw new Error(`spec: struct field ${f.name} names no struct`);
    return structShape(f.struct);
  }
  return { t: 'scalar', field: f };
}

function unionShape(name: string): Shape {
  return { t: 'union', members: unionSpec(name).members.map((m) => structShape(m.struct)) };
}

/** `base`'s fields without its flexible member, then `extra`. */
function withTail(base: ObjectShape, extra: readonly (readonly [string, Shape])[]): ObjectShape {
  const fields = new Map<string, Shape>();
  for (const f of structLayout(base.name).fields) fields.set(f.name, base.fields.get(f.name)!);
  for (const [k, s] of extra) fields.set(k, s);
  return { t: 'object', name: base.name, fields };
}

function obj(name: string, fields: readonly (readonly [string, Shape])[]): ObjectShape {
  return { t: 'object', name, fields: new Map(fields) };
}

/** The shape of a struct or union name. */
function ofShape(name: string): Shape {
  return unions.some((u) => u.name === name) ? unionShape(name) : structShape(name);
}

/** The members a tail that follows a nested struct adds to its object. */
function innerFields(t: InnerTailSpec | undefined): (readonly [string, Shape])[] {
  if (t === undefined) return [];
  return [[t.name, t.kind === 'bytes' ? BYTES : { t: 'array', of: ofShape(t.of) }]];
}

/** The members a tail adds to a body, from its declaration in spec/. */
function tailFields(tail: TailSpec): (readonly [string, Shape])[] {
  switch (tail.kind) {
    case 'bytes':
      return [[tail.name, BYTES]];
    case 'json':
      return [[tail.name, BYTES], ['json', OPAQUE]];
    case 'array':
      return [[tail.name, { t: 'array', of: ofShape(tail.of) }]];
    case 'optional':
      return [[tail.name, withTail(structShape(tail.struct), innerFields(tail.then))]];
    case 'select': {
      const cases = new Map<string, Shape>();
      for (const c of tail.cases) cases.set(c.kind, c.struct === undefined ? obj(tail.type, []) : withTail(structShape(c.struct), innerFields(c.then)));
      cases.set('raw', obj(tail.type, [['bytes', BYTES]]));
      return [[tail.name, { t: 'tagged', cases }]];
    }
    case 'chain': {
      const header = structShape(tail.header);
      const cases = new Map<string, Shape>();
      for (const c of tail.cases) cases.set(c.kind, c.struct === undefined ? obj(tail.header, [['header', header]]) : withTail(structShape(c.struct), innerFields(c.then)));
      cases.set('raw', obj(tail.header, [['header', header], ['data', BYTES]]));
      return [[tail.name, { t: 'array', of: { t: 'tagged', cases } }]];
    }
  }
}

function shapeOfBody(body: BodySpec): Shape {
  if (body.kind === 'empty') return EMPTY;
  const base = structShape(body.struct);
  return withTail(base, body.tail === undefined ? [] : tailFields(body.tail));
}

const commandByNumber = new Map(commands.map((c) => [c.cmd, c]));
const bodyCache = new Map<string, Shape>();

/**
 * The body spec of a command's request or reply as `dialect` lays it out,
 * or undefined for a command number spec/commands.ts does not know.
 */
export function bodySpec(cmd: number, message: 'request' | 'reply', dialect: DialectName): BodySpec | undefined {
  const override = dialects.find((d) => d.name === dialect)?.overrides.find((o) => o.cmd === cmd && o.message === message);
  if (override !== undefined) return override.body;
  const spec = commandByNumber.get(cmd);
  if (spec === undefined) return undefined;
  return message === 'request' ? spec.request : spec.reply;
}

/**
 * The shape of the body of a command (`kind` `command`) or reply, in the
 * layout of `dialect`; undefined for an unknown command.
 */
export function bodyShape(cmd: number, kind: 'command' | 'reply', dialect: DialectName): Shape | undefined {
  const key = `${cmd}:${kind}:${dialect}`;
  const hit = bodyCache.get(key);
  if (hit !== undefined) return hit;
  const spec = bodySpec(cmd, kind === 'command' ? 'request' : 'reply', dialect);
  if (spec === undefined) return undefined;
  const shape = shapeOfBody(spec);
  bodyCache.set(key, shape);
  return shape;
}

/** The union member whose fields are all keys of `value` (the first member when none fits). */
export function unionMember(shape: Extract<Shape, { t: 'union' }>, value: object): Shape | undefined {
  for (const m of shape.members) {
    if (m.t === 'object' && [...m.fields.keys()].every((k) => k in value)) return m;
  }
  return shape.members[0];
}

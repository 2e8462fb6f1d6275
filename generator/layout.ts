/**
 * Struct layouts computed from spec/: offset and size of every field, the
 * struct's size and C alignment. Used by every generator, the `layout`
 * command and the tests.
 */
import { structs, unions } from '../spec/structs.js';
import { banner } from './banner.js';
import type { FieldSpec, ScalarType, StructSpec, UnionSpec } from '../spec/types.js';

/** Size in bytes of each scalar wire type. */
export const SCALAR_SIZE: Readonly<Record<ScalarType, number>> = { u8: 1, u16: 2, u32: 4, u64: 8, s32: 4 };

export interface FieldLayout {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
  /** C alignment of the field's type. */
  readonly align: number;
  readonly spec: FieldSpec;
}

export interface StructLayout {
  readonly name: string;
  /** C sizeof, tail padding included. */
  readonly size: number;
  /** Bytes the fields occupy on the wire, where a flexible member starts: equal to `size` unless C pads the tail. */
  readonly fieldsEnd: number;
  /** C alignment: 1 when packed, else the largest field alignment. */
  readonly align: number;
  readonly fields: readonly FieldLayout[];
  /** Offset of the flexible array member (= size), when there is one. */
  readonly flexOffset: number | null;
  readonly spec: StructSpec;
}

const byName = new Map<string, StructSpec>(structs.map((s) => [s.name, s]));
const unionByName = new Map<string, UnionSpec>(unions.map((u) => [u.name, u]));
const cache = new Map<string, StructLayout>();

/** The struct spec of that C name; throws if there is none. */
export function structSpec(name: string): StructSpec {
  const s = byName.get(name);
  if (s === undefined) throw new Error(`spec: no struct ${name}`);
  return s;
}

/** The union spec of that C name; throws if there is none. */
export function unionSpec(name: string): UnionSpec {
  const u = unionByName.get(name);
  if (u === undefined) throw new Error(`spec: no union ${name}`);
  return u;
}

function fieldSizeAlign(f: FieldSpec): { size: number; align: number } {
  if (f.type === 'bytes') {
    if (f.length === undefined) throw new Error(`spec: bytes field ${f.name} has no length`);
    return { size: f.length, align: 1 };
  }
  if (f.type === 'struct') {
    if (f.struct === undefined) throw new Error(`spec: struct field ${f.name} names no struct`);
    const l = structLayout(f.struct);
    return { size: l.size, align: l.align };
  }
  const size = SCALAR_SIZE[f.type];
  return { size, align: size };
}

/**
 * The layout of a struct. Fields are laid out one after the other; the spec
 * states that no vfio-user struct has padding, and this function checks it:
 * a field that would need padding before it is an error in the spec.
 */
export function structLayout(name: string): StructLayout {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  const spec = structSpec(name);
  let offset = 0;
  let maxAlign = 1;
  const fields: FieldLayout[] = [];
  for (const f of spec.fields) {
    const { size, align } = fieldSizeAlign(f);
    if (offset % align !== 0) throw new Error(`spec: ${name}.${f.name} at ${offset} is not ${align}-aligned`);
    fields.push({ name: f.name, offset, size, align, spec: f });
    offset += size;
    maxAlign = Math.max(maxAlign, align);
  }
  if (spec.flex !== undefined) maxAlign = Math.max(maxAlign, flexAlign(spec));
  const align = spec.packed ? 1 : maxAlign;
  // Only QEMU's VFIOUserDMARW has tail padding (sizeof 16, data at 12); the spec says so explicitly.
  const size = Math.ceil(offset / align) * align;
  if (size !== offset && spec.origin !== 'qemu') throw new Error(`spec: ${name} of ${offset} bytes would have tail padding`);
  const layout: StructLayout = { name, size, fieldsEnd: offset, align, fields, flexOffset: spec.flex === undefined ? null : offset, spec };
  cache.set(name, layout);
  return layout;
}

function flexAlign(spec: StructSpec): number {
  const e = spec.flex?.element;
  if (e === undefined) return 1;
  if (typeof e === 'string') return SCALAR_SIZE[e];
  if ('struct' in e) return structLayout(e.struct).align;
  return 1;
}

/** Size of a union: its largest member. */
export function unionSize(name: string): number {
  return Math.max(...unionSpec(name).members.map((m) => structLayout(m.struct).size));
}

/** One row of the machine-readable layout: `struct field offset size`. */
export interface LayoutRow {
  readonly struct: string;
  readonly field: string;
  readonly offset: number;
  readonly size: number;
}

/**
 * Every struct's fields as rows: nested structs and unions as one row of
 * their size, a flexible array member as a row of size 0 at its offset, and
 * one `(sizeof)` row per struct at offset 0. Unions list their members.
 */
export function layoutRows(): LayoutRow[] {
  const rows: LayoutRow[] = [];
  for (const s of structs) {
    const l = structLayout(s.name);
    rows.push({ struct: s.name, field: '(sizeof)', offset: 0, size: l.size });
    for (const f of l.fields) rows.push({ struct: s.name, field: f.name, offset: f.offset, size: f.size });
    if (s.flex !== undefined && l.flexOffset !== null) rows.push({ struct: s.name, field: s.flex.name, offset: l.flexOffset, size: 0 });
  }
  for (const u of unions) {
    rows.push({ struct: u.name, field: '(sizeof)', offset: 0, size: unionSize(u.name) });
    for (const m of u.members) rows.push({ struct: u.name, field: m.name, offset: 0, size: structLayout(m.struct).size });
  }
  return rows;
}

const LAYOUT_PATH = 'generated/ts/layout.ts';

/**
 * generated/ts/layout.ts: {@link layoutRows} as a table, what the runtime
 * reads for struct offsets (the `layout` command, the interop model) without
 * computing them from spec/ again.
 */
export function generateLayout(): Map<string, string> {
  const out = [
    banner('generator/layout.ts', '//'),
    '',
    '/** One row of the struct layout table: a field, or `(sizeof)` at offset 0 for the struct itself. */',
    'export interface LayoutRow {',
    '  readonly struct: string;',
    '  readonly field: string;',
    '  readonly offset: number;',
    '  readonly size: number;',
    '}',
    '',
    '/**',
    ' * Every struct and union, C alignment rules applied: a `(sizeof)` row, then each field',
    ' * (nested structs as one row), then a flexible array member as a row of size 0 at its',
    ' * offset. Unions list their members at offset 0.',
    ' */',
    'export const layoutRows: readonly LayoutRow[] = [',
    ...layoutRows().map((r) => `  { struct: '${r.struct}', field: '${r.field}', offset: ${r.offset}, size: ${r.size} },`),
    '];',
    '',
  ];
  return new Map([[LAYOUT_PATH, out.join('\n')]]);
}
